/**
 * The one catalogue of errors. The domain throws these; src/http/error-handler.ts renders them as
 * `{ error: { code, message, target?, details? } }`. Messages that the seed or the platform publish
 * are kept word for word.
 */
export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly target?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const CANNOT_PERFORM = 'Cannot perform operation.';

export const errors = {
  headerNotFound: () =>
    new ApiError(401, 'HeaderNotFound', 'Header Authorization was not found in the request. Access denied.'),
  invalidAuthorizationScheme: () =>
    new ApiError(401, 'InvalidAuthorizationScheme', 'Authorization header must use the Bearer scheme. Access denied.'),
  invalidToken: () =>
    new ApiError(
      401,
      'InvalidToken',
      'Access denied due to invalid access_token. Make sure to provide a valid token for this API endpoint.',
    ),
  requiredScopeMissing: (scopes: readonly string[]) =>
    new ApiError(401, 'RequiredScopeMissing', `Access denied: the access token needs one of the scopes ${scopes.join(', ')}.`),
  insufficientPermissions: () =>
    new ApiError(403, 'InsufficientPermissions', 'The user has insufficient permissions for the requested operation.'),
  routeNotFound: () => new ApiError(404, 'NotFound', 'The requested operation or resource could not be found.'),
  sourceFileMappingExists: () =>
    new ApiError(409, 'FileMappingToTheIModelAlreadyExists', 'The SourceFile is already mapped to the iModel.'),
  storageConnectionNotFound: () =>
    new ApiError(404, 'StorageConnectionNotFound', 'Requested StorageConnection is not available.'),
  sourceFileNotFound: () =>
    new ApiError(404, 'StorageConnectionSourceFileNotFound', 'Requested StorageConnectionSourceFile is not available.'),
  iModelNotFound: () => new ApiError(404, 'iModelNotFound', 'Requested iModel is not available.'),
  fileMappingExists: () =>
    new ApiError(409, 'FileMappingToTheIModelAlreadyExists', 'One or more SourceFiles are already mapped to the iModel.'),
  notAcceptable: () =>
    new ApiError(
      406,
      'NotAcceptable',
      'The requested media type is not supported. This API serves application/vnd.bentley.itwin-platform.v1+json (or application/json).',
    ),
  payloadTooLarge: (limit: number) =>
    new ApiError(413, 'PayloadTooLarge', `The request body is larger than the limit of ${limit} bytes.`),
  unsupportedMediaType: () =>
    new ApiError(415, 'UnsupportedMediaType', 'The request body must be sent with Content-Type: application/json.'),
  invalidStorageConnectionRequest: (details: ErrorDetail[]) =>
    new ApiError(422, 'InvalidStorageConnectionRequest', CANNOT_PERFORM, details),
  invalidSourceFileRequest: (details: ErrorDetail[]) =>
    new ApiError(422, 'InvalidStorageConnectionSourceFileRequest', CANNOT_PERFORM, details),
  invalidConnectionRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidConnectionRequest', CANNOT_PERFORM, details),
  missingRequestBody: (details: ErrorDetail[]) => new ApiError(422, 'MissingRequestBody', CANNOT_PERFORM, details),
  tooManyRequests: () =>
    new ApiError(429, 'TooManyRequests', 'More requests were received than the subscription rate-limit allows.'),
  internal: () => new ApiError(500, 'InternalServerError', 'The server encountered an unexpected error.'),
  serviceUnavailable: () => new ApiError(503, 'ServiceUnavailable', 'The service is shutting down. Retry shortly.'),
};
