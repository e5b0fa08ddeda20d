import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * The validator for params, querystring and headers: Ajv configured as Fastify's default (query
 * strings coerced to their schema types), plus formats.
 */
const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: true, allErrors: true, strict: false });
addFormats.default(ajv);

/**
 * Each validator is compiled at its route's first request, not at start: compiling them all (and
 * Ajv's meta-schema) took an eighth of a second of every start. Fastify reads `errors` from the
 * function it was given, so the compiled one's are copied there. The values validated are objects
 * (params, query, headers, bodies), which Ajv coerces in place: no parent data is needed.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema }) => {
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown): boolean => {
    compiled ??= ajv.compile(schema as object);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = undefined as ValidateFunction['errors'];
  return validate;
};

/**
 * For operations whose body the domain checks itself: the body schema documents the operation
 * (OpenAPI) but is not enforced here, because the domain must report every problem in the API's
 * own codes and words, not Ajv's. Other parts are validated as usual.
 */
export const domainChecksBody: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? () => true : validatorCompiler(route);
