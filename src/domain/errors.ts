/**
 * The one catalogue of errors. The domain throws these; src/http/error-handler.ts renders them as
 * `{ error: { code, message, target?, details? } }`. Messages that Bentley's APIs publish
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

/**
 * The retry-after of every 503: a lost database connection is replaced by the next request that
 * needs one, so a client may try again after a second.
 */
export const RETRY_AFTER_SECONDS = 1;

export const errors = {
  headerNotFound: () => new ApiError(401, 'HeaderNotFound', 'Header Authorization was not found in the request. Access denied.'),
  invalidAuthorizationScheme: () => new ApiError(401, 'InvalidAuthorizationScheme', 'Authorization header must use the Bearer scheme. Access denied.'),
  invalidToken: () => new ApiError(401, 'InvalidToken', 'Access denied due to invalid access_token. Make sure to provide a valid token for this API endpoint.'),
  requiredScopeMissing: (scopes: readonly string[]) =>
    new ApiError(401, 'RequiredScopeMissing', `Access denied: the access token needs one of the scopes ${scopes.join(', ')}.`),
  insufficientPermissions: () => new ApiError(403, 'InsufficientPermissions', 'The user has insufficient permissions for the requested operation.'),
  routeNotFound: () => new ApiError(404, 'NotFound', 'The requested operation or resource could not be found.'),
  // twinsync's own (docs/web-app.md): the page's files are missing where the service looks for them.
  webAppNotBuilt: () =>
    new ApiError(
      404,
      'WebAppNotBuilt',
      'The web application is not built here: run npm start (which builds it) or node scripts/build.mjs, or set WEB_APP_DIR.',
    ),
  sourceFileMappingExists: () => new ApiError(409, 'FileMappingToTheIModelAlreadyExists', 'The SourceFile is already mapped to the iModel.'),
  storageConnectionNotFound: () => new ApiError(404, 'StorageConnectionNotFound', 'Requested StorageConnection is not available.'),
  sourceFileNotFound: () => new ApiError(404, 'StorageConnectionSourceFileNotFound', 'Requested StorageConnectionSourceFile is not available.'),
  iModelNotFound: () => new ApiError(404, 'iModelNotFound', 'Requested iModel is not available.'),
  runNotFound: () => new ApiError(404, 'StorageConnectionRunNotFound', 'Requested StorageConnection run is not available.'),
  runRequestInProgress: () => new ApiError(409, 'RunRequestInProgress', 'A run request is already being processed.'),
  fileMappingExists: () => new ApiError(409, 'FileMappingToTheIModelAlreadyExists', 'One or more SourceFiles are already mapped to the iModel.'),
  notAcceptable: () =>
    new ApiError(
      406,
      'NotAcceptable',
      'The requested media type is not supported. This API serves application/vnd.bentley.itwin-platform.v1+json (or application/json).',
    ),
  payloadTooLarge: (limit: number) => new ApiError(413, 'PayloadTooLarge', `The request body is larger than the limit of ${limit} bytes.`),
  unsupportedMediaType: () => new ApiError(415, 'UnsupportedMediaType', 'The request body must be sent with Content-Type: application/json.'),
  invalidStorageConnectionRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidStorageConnectionRequest', CANNOT_PERFORM, details),
  invalidSourceFileRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidStorageConnectionSourceFileRequest', CANNOT_PERFORM, details),
  // Manifest connections (docs/manifest-connections.md): codes as Bentley publishes them; the run's is twinsync's, named alike.
  manifestConnectionNotFound: () => new ApiError(404, 'ManifestConnectionNotFound', 'Requested ManifestConnection is not available.'),
  manifestSourceFileNotFound: () => new ApiError(404, 'ManifestConnectionSourceFileNotFound', 'Requested ManifestConnectionSourceFile is not available.'),
  manifestRunNotFound: () => new ApiError(404, 'ManifestConnectionRunNotFound', 'Requested ManifestConnection run is not available.'),
  invalidManifestConnectionRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidManifestConnectionRequest', CANNOT_PERFORM, details),
  invalidManifestSourceFileRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidManifestConnectionSourceFileRequest', CANNOT_PERFORM, details),
  invalidConnectionRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidConnectionRequest', CANNOT_PERFORM, details),
  // Authorization information and the consent page behind its authorizationUrl
  invalidAuthorizationInformationRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidAuthorizationInformationRequest', CANNOT_PERFORM, details),
  invalidConsentTicket: (reason: string) => new ApiError(403, 'InvalidConsentTicket', `The authorization URL is not valid: ${reason}`),
  invalidConsentRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidConsentRequest', CANNOT_PERFORM, details),
  // Configurations (docs/api-contract.md, "Configurations")
  configurationNotFound: () => new ApiError(404, 'ConfigurationNotFound', 'Requested Configuration is not available.'),
  configurationExists: () =>
    new ApiError(409, 'ConfigurationAlreadyExists', 'A configuration already exists for this scope: change it with PATCH, or delete it first.'),
  configurationChanged: () =>
    new ApiError(409, 'ConfigurationChanged', 'The configuration was changed by other requests while this one was applied: send it again.'),
  invalidConfigurationRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidConfigurationRequest', CANNOT_PERFORM, details),
  missingRequestBody: (details: ErrorDetail[]) => new ApiError(422, 'MissingRequestBody', CANNOT_PERFORM, details),
  tooManyRequests: () => new ApiError(429, 'TooManyRequests', 'More requests were received than the subscription rate-limit allows.'),
  // iTwins, access control, iModels and Storage (the platform calls clients make around synchronization)
  iTwinNotFound: () => new ApiError(404, 'iTwinNotFound', 'Requested iTwin is not available.'),
  repositoryNotFound: () => new ApiError(404, 'iTwinRepositoryNotFound', 'Requested iTwin Repository is not available.'),
  memberNotFound: () => new ApiError(404, 'iTwinMemberNotFound', 'Requested iTwin member is not available.'),
  fileNotFound: () => new ApiError(404, 'FileNotFound', 'Requested file is not available.'),
  folderNotFound: () => new ApiError(404, 'FolderNotFound', 'Requested folder is not available.'),
  invalidITwinRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidiTwinsRequest', CANNOT_PERFORM, details),
  invalidMemberRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidiTwinsMemberRequest', 'Request body or query is invalid.', details),
  invalidIModelRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidiModelsRequest', CANNOT_PERFORM, details),
  invalidStorageRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidStorageRequest', CANNOT_PERFORM, details),
  invalidCreateFileRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidCreateFileRequest', CANNOT_PERFORM, details),
  iTwinHasIModels: () => new ApiError(409, 'iTwinHasiModels', 'The iTwin still holds iModels: delete them before deleting the iTwin.'),
  memberAlreadyExists: (subject: string, iTwinId: string) =>
    new ApiError(409, 'iTwinMemberAlreadyExists', `Member '${subject}' already exists in iTwin '${iTwinId}'.`),
  lastOwner: () => new ApiError(409, 'CannotRemoveLastOwner', 'An iTwin keeps at least one owner: add another owner before removing this one.'),
  lastMember: () => new ApiError(409, 'CannotRemoveLastMember', 'An iTwin keeps at least one member: add another member before removing this one.'),
  // Access Control v2 (docs/access-control.md): the role codes as Bentley publishes them; the rest named alike.
  roleNotFound: () => new ApiError(404, 'RoleNotFound', 'Requested role is not available.'),
  invalidRoleRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidiTwinsRoleRequest', 'Cannot create/update Role.', details),
  roleAlreadyExists: (displayName: string) => new ApiError(409, 'RoleAlreadyExists', `A role named '${displayName}' already exists in this iTwin.`),
  groupNotFound: () => new ApiError(404, 'GroupNotFound', 'Requested group is not available.'),
  groupMemberNotFound: () => new ApiError(404, 'GroupMemberNotFound', 'Requested group member is not available.'),
  invalidGroupRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidiTwinsGroupRequest', 'Request body or query is invalid.', details),
  invalidInvitationsRequest: (details: ErrorDetail[]) =>
    new ApiError(422, 'InvalidiTwinsMemberInvitationsRequest', 'Request body or query is invalid.', details),
  invalidUsersRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidUsersRequest', 'Request body or query is invalid.', details),
  iModelExists: () => new ApiError(409, 'iModelExists', 'iModel with the same name already exists within the iTwin.'),
  // Versions (docs/versions.md): the iModels API's codes, which @itwin/imodels-client-management parses.
  changesetNotFound: () => new ApiError(404, 'ChangesetNotFound', 'Requested Changeset is not available.'),
  // Changed Elements API
  invalidChangedElementsRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidChangedElementsRequest', CANNOT_PERFORM, details),
  namedVersionNotFound: () => new ApiError(404, 'NamedVersionNotFound', 'Requested Named Version is not available.'),
  checkpointNotFound: () => new ApiError(404, 'CheckpointNotFound', 'Requested Checkpoint is not available.'),
  userNotFound: () => new ApiError(404, 'UserNotFound', 'Requested User is not available.'),
  // The model of a version (docs/model-view.md): twinsync's own operations, codes named alike.
  noCheckpoint: (index: number) =>
    new ApiError(
      409,
      'CheckpointNotAvailable',
      `Changeset ${index} has no checkpoint of its own: its connector wrote no iModel file (emulated and command connectors write none), so there is no model to show.`,
    ),
  checkpointPruned: (index: number) =>
    new ApiError(
      409,
      'CheckpointNotAvailable',
      `The checkpoint of changeset ${index} was pruned (the newest CHECKPOINTS_KEPT and those of named versions are kept), so its model can no longer be shown.`,
    ),
  elementNotFound: () => new ApiError(404, 'ElementNotFound', "Requested element is not in this version's model (elements without graphics are not)."),
  modelExportUnavailable: (why: string) => new ApiError(501, 'ModelExportUnavailable', `This server cannot export models: ${why}.`),
  modelExportFailed: () =>
    new ApiError(500, 'ModelExportFailed', "Exporting the model of this version failed; the server's log says why. Asking again tries again."),
  namedVersionOnChangesetExists: () => new ApiError(409, 'NamedVersionOnChangesetExists', 'A Named Version already exists on this Changeset.'),
  // Webhooks (docs/webhooks.md): the Webhooks API's not-found code and message.
  webhookNotFound: () => new ApiError(404, 'WebhookNotFound', 'Requested webhook is not available.'),
  invalidWebhookRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidWebhookRequest', CANNOT_PERFORM, details),
  // Diagnostic reports (docs/reports.md): Bentley's 422 code for Get Diagnostic Reports, word for word.
  invalidReportsRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidBadgersRequest', CANNOT_PERFORM, details),
  reportNotFound: () => new ApiError(404, 'ReportNotFound', 'Requested diagnostic report is not available.'),
  errorArticleNotFound: () => new ApiError(404, 'ErrorArticleNotFound', 'There is no article for this error key.'),
  downloadAuthenticationFailed: (reason: string) => new ApiError(403, 'AuthenticationFailed', `The download URL is not valid: ${reason}`),
  rootFolder: () => new ApiError(409, 'CannotDeleteRootFolder', 'The root folder of an iTwin cannot be deleted.'),
  fileNotUploaded: () => new ApiError(409, 'FileNotUploaded', 'No content was uploaded for this file: PUT it to the uploadUrl before completing.'),
  uploadCompleted: () => new ApiError(409, 'UploadAlreadyCompleted', 'This upload URL was already completed: ask for a new one with updatecontent.'),
  uploadChanged: () => new ApiError(409, 'UploadInProgress', 'The upload changed while it was being completed: complete it again.'),
  uploadAuthenticationFailed: (reason: string) => new ApiError(403, 'AuthenticationFailed', `The upload URL is not valid: ${reason}`),
  incompleteUpload: () => new ApiError(400, 'IncompleteUpload', 'The request body ended before all of its bytes arrived.'),
  // Its .partial file went while it streamed: the sweep of abandoned uploads (idle past
  // UPLOAD_IDLE_TIMEOUT_MS, src/domain/storage/blobs.ts), or an operator. Nothing was stored.
  uploadDiscarded: () =>
    new ApiError(409, 'UploadDiscarded', 'The upload was discarded while it was being received (removed as abandoned). PUT the whole content again.'),
  // Slow clients (src/http/plugins/client-timeouts.ts): the time limits are settings, named in the message.
  requestTimeout: (what: string) => new ApiError(408, 'RequestTimeout', `The request was not received in time: ${what}. Send it again.`),
  tooManyEventStreams: (limit: number, whose: 'caller' | 'server') =>
    new ApiError(
      429,
      'TooManyEventStreams',
      whose === 'caller'
        ? `This user already has ${limit} event streams open (the most at once): close one, or retry later.`
        : `The server already holds ${limit} event streams open (the most at once): retry later.`,
    ),
  tooManyUploads: (limit: number) =>
    new ApiError(429, 'TooManyConcurrentUploads', `This user already has ${limit} uploads in progress (the most at once): retry after one of them ends.`),
  tooManyUploadBodies: (limit: number) =>
    new ApiError(429, 'TooManyConcurrentUploads', `${limit} requests are already sending to this upload URL at once (the most): retry after one of them ends.`),
  invalidBlobType: () => new ApiError(400, 'InvalidHeaderValue', 'x-ms-blob-type must be BlockBlob.'),
  // Azure's block operations on upload URLs (src/domain/storage/upload-blocks.ts): Azure's codes, which its clients know.
  invalidBlockId: () => new ApiError(400, 'InvalidQueryParameterValue', 'blockid must be Base64 of 1 to 64 bytes.', undefined, 'blockid'),
  blockIdLengthDiffers: () =>
    new ApiError(400, 'InvalidBlobOrBlock', 'Every block id of an upload must have the same length as its other blocks’ ids.', undefined, 'blockid'),
  tooManyBlocks: (limit: number) =>
    new ApiError(409, 'BlockCountExceedsLimit', `An upload holds at most ${limit} uncommitted blocks: commit or discard them first.`),
  invalidBlockList: (why: string) => new ApiError(400, 'InvalidBlockList', `The block list is invalid: ${why}`),
  invalidXml: (why: string) => new ApiError(400, 'InvalidXmlDocument', `The XML body is not valid: ${why}`),
  // The value is not repeated: a reflected value is a way to inject into pages and logs.
  unsupportedUploadOperation: () =>
    new ApiError(
      400,
      'InvalidQueryParameterValue',
      'This comp is not an operation of an upload URL: PUT the whole content (no comp), a block (comp=block&blockid=…) or the block list (comp=blocklist).',
      undefined,
      'comp',
    ),
  notAcceptableIModels: () =>
    new ApiError(
      406,
      'NotAcceptable',
      'The requested media type is not supported. This API serves application/vnd.bentley.itwin-platform.v2+json, …v1+json (or application/json).',
    ),
  // Requests refused before they reach an operation (src/http/error-handler.ts). The messages never
  // repeat the request's URL or headers: a reflected value is a way to inject into pages and logs.
  badRequest: () => new ApiError(400, 'BadRequest', 'The request is not valid HTTP/1.1.'),
  contentLengthMismatch: () => new ApiError(400, 'BadRequest', 'The Content-Length header does not match the body.'),
  invalidUrl: () => new ApiError(400, 'InvalidUrl', 'The request URL holds a malformed percent-encoding.'),
  invalidPreflight: () =>
    new ApiError(400, 'InvalidPreflightRequest', 'A CORS preflight (OPTIONS) needs the Origin and Access-Control-Request-Method headers.'),
  methodNotAllowed: (allowed: readonly string[]) =>
    new ApiError(405, 'MethodNotAllowed', `This resource does not support the method. Allowed: ${allowed.join(', ')}.`),
  uriTooLong: (limit: number) => new ApiError(414, 'UriTooLong', `A segment of the request path is longer than the limit of ${limit} characters.`),
  headersTooLarge: () => new ApiError(431, 'RequestHeaderFieldsTooLarge', 'The request line and headers are larger than the server accepts.'),
  /** The 422 of operations that have no family of their own (the upload URL, the published documents). */
  invalidRequest: (details: ErrorDetail[]) => new ApiError(422, 'InvalidRequest', CANNOT_PERFORM, details),
  internal: () => new ApiError(500, 'InternalServerError', 'The server encountered an unexpected error.'),
  // GET /health/ready: one detail per failed check (docs/operations.md).
  notReady: (details: ErrorDetail[]) => new ApiError(503, 'NotReady', `The service is not ready: ${details.map((d) => d.target).join(', ')} failed.`, details),
  serviceUnavailable: () => new ApiError(503, 'ServiceUnavailable', 'The service is shutting down. Retry shortly.'),
  // The store lost its database connection or cannot open one (answered with retry-after, see RETRY_AFTER_SECONDS).
  databaseUnavailable: () => new ApiError(503, 'ServiceUnavailable', 'The database is unavailable for the moment. Retry after the time in retry-after.'),
  // DATA_DIR (uploads, blobs, the SQLite file) or the database has no space left.
  insufficientStorage: () => new ApiError(507, 'InsufficientStorage', 'The service has no storage space left for this request. Retry later.'),
};
