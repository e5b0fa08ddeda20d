import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * The validator for params, querystring and headers: Ajv configured as Fastify's default (query
 * strings coerced to their schema types), plus formats.
 */
const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: true, allErrors: true, strict: false });
addFormats.default(ajv);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => ajv.compile(schema as object);

/**
 * For operations whose body the domain checks itself: the body schema documents the operation
 * (OpenAPI) but is not enforced here, because the domain must report every problem in the API's
 * own codes and words, not Ajv's. Other parts are validated as usual.
 */
export const domainChecksBody: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? () => true : validatorCompiler(route);
