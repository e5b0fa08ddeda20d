import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { type ApiError, type ErrorDetail, errors } from '../domain/errors.js';
import type { Operation } from './operations.js';

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
export const domainChecksBody: FastifySchemaCompiler<unknown> = (route) => (route.httpPart === 'body' ? () => true : validatorCompiler(route));

/**
 * The 422 of an operation: each API answers invalid input with its own code (errors.ts), and an
 * invalid path or query value is invalid input like a bad body. Operations without a family of
 * their own (the upload URL, the published documents, the token endpoint) get `InvalidRequest`.
 */
export function invalidRequestFor(operation: Operation | undefined): (details: ErrorDetail[]) => ApiError {
  const url = operation?.url.toLowerCase() ?? '';
  if (operation?.id === 'create-file') return errors.invalidCreateFileRequest;
  if (url.includes('/sourcefiles')) return errors.invalidSourceFileRequest;
  if (url.startsWith('/synchronization/configurations')) return errors.invalidConfigurationRequest;
  if (url.startsWith('/synchronization/imodels/storageconnections')) return errors.invalidStorageConnectionRequest;
  if (url.startsWith('/synchronization/imodels/connections/authorizationinformation')) return errors.invalidAuthorizationInformationRequest;
  if (url.startsWith('/synchronization/imodels/connections')) return errors.invalidConnectionRequest;
  if (url.startsWith('/synchronization/consent')) return errors.invalidConsentRequest;
  if (url === '/synchronization/reports') return errors.invalidReportsRequest;
  if (url.startsWith('/itwins')) return errors.invalidITwinRequest;
  if (url.includes('/roles')) return errors.invalidRoleRequest;
  if (url.startsWith('/accesscontrol')) return errors.invalidMemberRequest;
  if (url.startsWith('/users')) return errors.invalidUsersRequest;
  if (url.startsWith('/imodels')) return errors.invalidIModelRequest;
  if (url.startsWith('/storage') && operation?.scopes !== null) return errors.invalidStorageRequest;
  return errors.invalidRequest;
}

/**
 * U+0000 in any path parameter or query value is refused before the operation runs, as it is in
 * JSON bodies (plugins/json-body.ts): PostgreSQL text cannot hold it (a lookup with it was a 500),
 * SQLite would; one answer on both stores, in one place for every operation. Query names are not
 * checked: an unknown parameter is ignored, and no known name holds U+0000.
 * A preParsing hook registered after authentication, so that a request without credentials is a
 * 401 first, and so that no body is read for a request that is refused anyway.
 */
export function registerNulCheck(app: FastifyInstance): void {
  app.addHook('preParsing', async (request) => {
    const details = [...nulDetails(request.params), ...nulDetails(request.query)];
    if (details.length > 0) throw invalidRequestFor(request.routeOptions.config.operation)(details);
  });
}

function nulDetails(values: unknown): ErrorDetail[] {
  if (typeof values !== 'object' || values === null) return [];
  const details: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(values)) {
    const strings = Array.isArray(value) ? value : [value];
    if (!strings.some((s) => typeof s === 'string' && s.includes('\0'))) continue;
    details.push({
      code: 'InvalidValue',
      message: 'The value holds the character U+0000 (%00), which no value may contain.',
      // The name is the client's: named only when it looks like a parameter name (no reflection of junk).
      target: /^[\w$.-]{1,64}$/.test(name) ? name : 'query',
    });
  }
  return details;
}
