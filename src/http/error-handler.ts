import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, errors } from '../domain/errors.js';

/**
 * The one renderer of errors: `{ error: { code, message, target?, details? } }` for every failure,
 * JSON always (clients call response.json() on any non-2xx). 5xx internals are logged, never shown.
 */
export function registerErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error, bodyLimit);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    sendError(reply, apiError);
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, errors.routeNotFound()));
}

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.status === 401) reply.header('www-authenticate', challenge(error));
  const body: Record<string, unknown> = { code: error.code, message: error.message };
  if (error.target !== undefined) body.target = error.target;
  if (error.details !== undefined) body.details = error.details;
  return reply.status(error.status).type('application/json; charset=utf-8').send({ error: body });
}

/** RFC 6750 challenge: no error attribute when no credentials were sent at all. */
function challenge(error: ApiError): string {
  const realm = 'Bearer realm="twinsync"';
  if (error.code === 'HeaderNotFound' || error.code === 'InvalidAuthorizationScheme') return realm;
  if (error.code === 'RequiredScopeMissing') return `${realm}, error="insufficient_scope", error_description="${error.message}"`;
  return `${realm}, error="invalid_token", error_description="The access token is invalid or expired"`;
}

function toApiError(error: FastifyError | ApiError, bodyLimit: number): ApiError {
  if (error instanceof ApiError) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.payloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'InvalidRequest', 'The Content-Length header does not match the body.');
  }
  if (error.validation) {
    return new ApiError(422, 'InvalidRequest', 'Cannot perform operation.', error.validation.map((v) => ({
      code: 'InvalidValue',
      message: v.message ?? 'The value is not valid.',
      target: (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.') || error.validationContext || 'request',
    })));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ApiError(status, 'InvalidRequest', error.message);
  return errors.internal();
}
