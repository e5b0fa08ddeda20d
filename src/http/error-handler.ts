import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errors, RETRY_AFTER_SECONDS } from '../domain/errors.js';
import { storeFailure } from '../domain/failures.js';
import { invalidRequestFor } from './validation.js';

/** Fastify's default (routerOptions.maxParamLength): a longer path segment never reaches a route. */
export const MAX_PARAM_LENGTH = 100;

/**
 * The one renderer of errors: `{ error: { code, message, target?, details? } }` for every failure,
 * JSON always (clients call response.json() on any non-2xx). 5xx internals are logged, never shown.
 * Messages never repeat the request's URL or headers.
 */
export function registerErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error, bodyLimit, request);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    sendError(reply, apiError);
  });
  const methodsByRoute = routeMethods(app);
  app.setNotFoundHandler((request, reply) => {
    // A path that exists with other methods is a 405 naming them, not a 404.
    const allowed = methodsByRoute(request.url);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(reply, errors.methodNotAllowed(allowed));
    }
    return sendError(reply, errors.routeNotFound());
  });
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.status === 401) reply.header('www-authenticate', challenge(error));
  if (error.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.status(error.status).type('application/json; charset=utf-8').send(errorBody(error));
}

function errorBody(error: ApiError): { error: Record<string, unknown> } {
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.target !== undefined) body.target = error.target;
  if (error.details !== undefined) body.details = error.details;
  return { error: body };
}

/**
 * Fastify's `frameworkErrors`: a URL whose percent-encoding is malformed, or a path segment longer
 * than MAX_PARAM_LENGTH, is refused by the router before any route or hook runs; Fastify's own
 * answer repeats the URL and is not in the error shape.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') sendError(reply, errors.uriTooLong(MAX_PARAM_LENGTH));
  else if (error.code === 'FST_ERR_BAD_URL') sendError(reply, errors.invalidUrl());
  else sendError(reply, errors.badRequest());
}

/**
 * Fastify's `clientErrorHandler`: Node's HTTP parser refused the request (not HTTP, headers over
 * the size limit, a bad Content-Length or chunk, headers not received in time) before Fastify saw
 * it. The answer is written on the socket in the error shape, and the connection is closed: the
 * parser cannot find the next request in what follows.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const apiError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? errors.headersTooLarge()
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? errors.requestTimeout('the request line and headers did not arrive within HEADERS_TIMEOUT_MS')
        : errors.badRequest();
  // An answer already on its way (the parser failed on bytes after a request that is being
  // answered) must not be followed by a second one: the client would read it as part of the first.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify(errorBody(apiError));
    socket.write(
      `HTTP/1.1 ${apiError.status} ${http.STATUS_CODES[apiError.status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** RFC 6750 challenge: no error attribute when no credentials were sent at all. */
function challenge(error: ApiError): string {
  const realm = 'Bearer realm="twinsync"';
  if (error.code === 'HeaderNotFound' || error.code === 'InvalidAuthorizationScheme') return realm;
  if (error.code === 'RequiredScopeMissing') return `${realm}, error="insufficient_scope", error_description="${error.message}"`;
  return `${realm}, error="invalid_token", error_description="The access token is invalid or expired"`;
}

/** The codes of Fastify's other 4xx answers; their messages may repeat the request, so ours replace them. */
const FRAMEWORK_4XX: Record<number, () => ApiError> = {
  400: errors.badRequest,
  414: () => errors.uriTooLong(MAX_PARAM_LENGTH),
  415: errors.unsupportedMediaType,
  431: errors.headersTooLarge,
};

function toApiError(error: FastifyError | ApiError, bodyLimit: number, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.contentLengthMismatch();
  }
  if (error.validation) {
    return invalidRequestFor(request.routeOptions.config.operation)(
      error.validation.map((v) => ({
        code: 'InvalidValue',
        message: v.message ?? 'The value is not valid.',
        target: (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || error.validationContext || 'request',
      })),
    );
  }
  // The database connection was lost (503, retry-after) or a disk is full (507): not the client's doing, not a bug.
  const failure = storeFailure(error);
  if (failure === 'unavailable') return errors.databaseUnavailable();
  if (failure === 'full') return errors.insufficientStorage();
  const status = error.statusCode ?? 500;
  if (status === 413) return errors.payloadTooLarge(bodyLimit);
  if (status >= 400 && status < 500) return (FRAMEWORK_4XX[status] ?? errors.badRequest)();
  return errors.internal();
}

/**
 * The methods registered for the path of `url` (without its query), matched as the router matches:
 * any case, duplicate and trailing slashes ignored, a parameter is one non-empty segment. Fastify
 * answers a known path with an unrouted method as an unknown route; this tells them apart.
 */
function routeMethods(app: FastifyInstance): (url: string) => string[] {
  let table: { pattern: RegExp; methods: Set<string> }[] | undefined;
  const build = () => {
    const byUrl = new Map<string, Set<string>>();
    for (const route of app.registeredRoutes) {
      if (route.url === '*' || route.url.includes('*')) continue;
      const methods = byUrl.get(route.url) ?? new Set<string>();
      methods.add(route.method);
      byUrl.set(route.url, methods);
    }
    return [...byUrl].map(([url, methods]) => ({ pattern: routePattern(url), methods }));
  };
  return (url) => {
    table ??= build();
    const path = normalizePath(url);
    const allowed = new Set<string>();
    for (const route of table) if (route.pattern.test(path)) for (const m of route.methods) allowed.add(m);
    return [...allowed].sort();
  };
}

function normalizePath(url: string): string {
  const path = url.split('?')[0]!.replace(/\/{2,}/g, '/');
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

function routePattern(url: string): RegExp {
  const source = normalizePath(url)
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`, 'i');
}
