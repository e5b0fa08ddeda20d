/**
 * The operations table: every operation the service answers, by Bentley's operation id. Routes are
 * registered from it, and auth, logging and the rate limiter read it from the route's config.
 * `scopes`: any one of them grants access; `null`: no bearer token (discovery, token endpoint).
 * `media`: which `Accept` values the operation serves (see plugins/accept.ts).
 */
export interface Operation {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string;
  readonly scopes: readonly string[] | null;
  readonly media: 'platform-v1' | 'platform-v1-v2' | 'any';
}

export const READ_SCOPES = ['synchronization:read', 'itwin-platform'] as const;
export const MODIFY_SCOPES = ['synchronization:modify', 'itwin-platform'] as const;
// The platform APIs around synchronization: each has its own pair, and itwin-platform grants all.
export const ITWINS_READ = ['itwins:read', 'itwin-platform'] as const;
export const ITWINS_MODIFY = ['itwins:modify', 'itwin-platform'] as const;
export const IMODELS_READ = ['imodels:read', 'itwin-platform'] as const;
export const IMODELS_MODIFY = ['imodels:modify', 'itwin-platform'] as const;
export const STORAGE_READ = ['storage:read', 'itwin-platform'] as const;
export const STORAGE_MODIFY = ['storage:modify', 'itwin-platform'] as const;
export const USERS_READ = ['users:read', 'itwin-platform'] as const;
export const CHANGED_ELEMENTS_READ = ['changedelements:read', 'itwin-platform'] as const;
export const CHANGED_ELEMENTS_MODIFY = ['changedelements:modify', 'itwin-platform'] as const;
export const WEBHOOKS_READ = ['webhooks:read', 'itwin-platform'] as const;
export const WEBHOOKS_MODIFY = ['webhooks:modify', 'itwin-platform'] as const;

function op(id: string, method: Operation['method'], url: string, scopes: readonly string[] | null, media: Operation['media']): Operation {
  return Object.freeze({ id, method, url, scopes, media });
}

const SC = '/synchronization/imodels/storageconnections';
const AC = '/accesscontrol/itwins/:iTwinId';
const MC = '/synchronization/imodels/manifestconnections';
const CONFIGURATIONS = '/synchronization/configurations';
// The model of a version (docs/model-view.md): twinsync's own, under a prefix none of Bentley's APIs uses.
const MODEL_VIEW = '/twinsync/imodels/:iModelId/changesets/:changeset';

export const operations = {
  // Synchronization API
  createStorageConnection: op('create-storage-connection', 'POST', `${SC}`, MODIFY_SCOPES, 'platform-v1'),
  getStorageConnection: op('get-storage-connection', 'GET', `${SC}/:connectionId`, READ_SCOPES, 'platform-v1'),
  getStorageConnections: op('get-storage-connections', 'GET', `${SC}`, READ_SCOPES, 'platform-v1'),
  getConnections: op('get-connections', 'GET', '/synchronization/imodels/connections', READ_SCOPES, 'platform-v1'),
  getAuthorizationInformation: op(
    'get-authorization-information',
    'GET',
    '/synchronization/imodels/connections/authorizationinformation',
    READ_SCOPES,
    'platform-v1',
  ),
  // The consent page behind authorizationUrl: a browser has no bearer token, the signed ticket in the URL is the credential.
  getConsentPage: op('get-consent-page', 'GET', '/synchronization/consent', null, 'any'),
  submitConsent: op('submit-consent', 'POST', '/synchronization/consent', null, 'any'),
  updateStorageConnection: op('update-storage-connection', 'PUT', `${SC}/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  deleteStorageConnection: op('delete-storage-connection', 'DELETE', `${SC}/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  addSourceFile: op('add-storage-connection-sourcefile', 'POST', `${SC}/:connectionId/sourcefiles`, MODIFY_SCOPES, 'platform-v1'),
  getSourceFile: op('get-storage-connection-sourcefile', 'GET', `${SC}/:connectionId/sourcefiles/:sourceFileId`, READ_SCOPES, 'platform-v1'),
  getSourceFiles: op('get-storage-connection-sourcefiles', 'GET', `${SC}/:connectionId/sourcefiles`, READ_SCOPES, 'platform-v1'),
  updateSourceFile: op('update-storage-connection-sourcefile', 'PUT', `${SC}/:connectionId/sourcefiles/:sourceFileId`, MODIFY_SCOPES, 'platform-v1'),
  removeSourceFile: op('remove-storage-connection-sourcefile', 'DELETE', `${SC}/:connectionId/sourcefiles/:sourceFileId`, MODIFY_SCOPES, 'platform-v1'),
  runStorageConnection: op('run-storage-connection', 'POST', `${SC}/:connectionId/run`, MODIFY_SCOPES, 'platform-v1'),
  getStorageConnectionRun: op('get-storage-connection-run', 'GET', `${SC}/:connectionId/runs/:runId`, READ_SCOPES, 'platform-v1'),
  getStorageConnectionRuns: op('get-storage-connection-runs', 'GET', `${SC}/:connectionId/runs`, READ_SCOPES, 'platform-v1'),
  // Manifest connections (docs/manifest-connections.md)
  createManifestConnection: op('create-manifest-connection', 'POST', MC, MODIFY_SCOPES, 'platform-v1'),
  getManifestConnection: op('get-manifest-connection', 'GET', `${MC}/:connectionId`, READ_SCOPES, 'platform-v1'),
  getManifestConnections: op('get-manifest-connections', 'GET', MC, READ_SCOPES, 'platform-v1'),
  updateManifestConnection: op('update-manifest-connection', 'PUT', `${MC}/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  deleteManifestConnection: op('delete-manifest-connection', 'DELETE', `${MC}/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  addManifestSourceFile: op('add-manifest-connection-sourcefile', 'POST', `${MC}/:connectionId/sourcefiles`, MODIFY_SCOPES, 'platform-v1'),
  getManifestSourceFile: op('get-manifest-connection-sourcefile', 'GET', `${MC}/:connectionId/sourcefiles/:sourceFileId`, READ_SCOPES, 'platform-v1'),
  getManifestSourceFiles: op('get-manifest-connection-sourcefiles', 'GET', `${MC}/:connectionId/sourcefiles`, READ_SCOPES, 'platform-v1'),
  updateManifestSourceFile: op('update-manifest-connection-sourcefile', 'PUT', `${MC}/:connectionId/sourcefiles/:sourceFileId`, MODIFY_SCOPES, 'platform-v1'),
  removeManifestSourceFile: op(
    'remove-manifest-connection-sourcefile',
    'DELETE',
    `${MC}/:connectionId/sourcefiles/:sourceFileId`,
    MODIFY_SCOPES,
    'platform-v1',
  ),
  createManifestConnectionRun: op('create-manifest-connection-run', 'POST', `${MC}/:connectionId/runs`, MODIFY_SCOPES, 'platform-v1'),
  getManifestConnectionRun: op('get-manifest-connection-run', 'GET', `${MC}/:connectionId/runs/:runId`, READ_SCOPES, 'platform-v1'),
  getManifestConnectionRuns: op('get-manifest-connection-runs', 'GET', `${MC}/:connectionId/runs`, READ_SCOPES, 'platform-v1'),
  // Server-sent events (docs/webhooks.md): twinsync's own, answered as text/event-stream whatever the Accept.
  getStorageConnectionRunEvents: op('get-storage-connection-run-events', 'GET', `${SC}/:connectionId/runs/:runId/events`, READ_SCOPES, 'any'),
  getIModelSynchronizationEvents: op('get-imodel-synchronization-events', 'GET', '/synchronization/imodels/:iModelId/events', READ_SCOPES, 'any'),

  // Webhooks (docs/webhooks.md)
  createWebhook: op('create-webhook', 'POST', '/webhooks', WEBHOOKS_MODIFY, 'platform-v1'),
  getWebhooks: op('get-webhooks', 'GET', '/webhooks', WEBHOOKS_READ, 'platform-v1'),
  getWebhook: op('get-webhook', 'GET', '/webhooks/:webhookId', WEBHOOKS_READ, 'platform-v1'),
  updateWebhook: op('update-webhook', 'PATCH', '/webhooks/:webhookId', WEBHOOKS_MODIFY, 'platform-v1'),
  deleteWebhook: op('delete-webhook', 'DELETE', '/webhooks/:webhookId', WEBHOOKS_MODIFY, 'platform-v1'),
  getWebhookDeliveries: op('get-webhook-deliveries', 'GET', '/webhooks/:webhookId/deliveries', WEBHOOKS_READ, 'platform-v1'),
  // Configurations (docs/api-contract.md, "Configurations")
  createITwinConfiguration: op('create-itwin-configuration', 'POST', `${CONFIGURATIONS}/itwins/:iTwinId`, MODIFY_SCOPES, 'platform-v1'),
  getITwinConfiguration: op('get-itwin-configuration', 'GET', `${CONFIGURATIONS}/itwins/:iTwinId`, READ_SCOPES, 'platform-v1'),
  patchITwinConfiguration: op('patch-itwin-configuration', 'PATCH', `${CONFIGURATIONS}/itwins/:iTwinId`, MODIFY_SCOPES, 'platform-v1'),
  deleteITwinConfiguration: op('delete-itwin-configuration', 'DELETE', `${CONFIGURATIONS}/itwins/:iTwinId`, MODIFY_SCOPES, 'platform-v1'),
  createIModelConfiguration: op('create-imodel-configuration', 'POST', `${CONFIGURATIONS}/imodels/:iModelId`, MODIFY_SCOPES, 'platform-v1'),
  getIModelConfiguration: op('get-imodel-configuration', 'GET', `${CONFIGURATIONS}/imodels/:iModelId`, READ_SCOPES, 'platform-v1'),
  patchIModelConfiguration: op('patch-imodel-configuration', 'PATCH', `${CONFIGURATIONS}/imodels/:iModelId`, MODIFY_SCOPES, 'platform-v1'),
  deleteIModelConfiguration: op('delete-imodel-configuration', 'DELETE', `${CONFIGURATIONS}/imodels/:iModelId`, MODIFY_SCOPES, 'platform-v1'),
  createConnectionConfiguration: op('create-connection-configuration', 'POST', `${CONFIGURATIONS}/connections/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  getConnectionConfiguration: op('get-connection-configuration', 'GET', `${CONFIGURATIONS}/connections/:connectionId`, READ_SCOPES, 'platform-v1'),
  patchConnectionConfiguration: op('patch-connection-configuration', 'PATCH', `${CONFIGURATIONS}/connections/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  deleteConnectionConfiguration: op('delete-connection-configuration', 'DELETE', `${CONFIGURATIONS}/connections/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  // Diagnostic reports (docs/reports.md). A report's content: its signed sasUri is the credential, as an Azure SAS URL is.
  getDiagnosticReports: op('get-diagnostic-reports', 'GET', '/synchronization/reports', READ_SCOPES, 'platform-v1'),
  downloadDiagnosticReport: op('download-diagnostic-report', 'GET', '/synchronization/reports/files/:iModelId/:reportId', null, 'any'),
  // What kbArticleLink points at (docs/errors.md): a page per error key, for people, without a token.
  getErrorArticle: op('get-error-article', 'GET', '/synchronization/errors/:errorKey', null, 'any'),

  // iTwins and access control
  createITwin: op('create-itwin', 'POST', '/itwins', ITWINS_MODIFY, 'platform-v1'),
  getITwin: op('get-itwin', 'GET', '/itwins/:iTwinId', ITWINS_READ, 'platform-v1'),
  getMyITwins: op('get-my-itwins', 'GET', '/itwins', ITWINS_READ, 'platform-v1'),
  updateITwin: op('update-itwin', 'PATCH', '/itwins/:iTwinId', ITWINS_MODIFY, 'platform-v1'),
  createRepository: op('create-repository', 'POST', '/itwins/:iTwinId/repositories', ITWINS_MODIFY, 'platform-v1'),
  getRepositories: op('get-repositories-by-itwin-id', 'GET', '/itwins/:iTwinId/repositories', ITWINS_READ, 'platform-v1'),
  deleteRepository: op('delete-repository', 'DELETE', '/itwins/:iTwinId/repositories/:repositoryId', ITWINS_MODIFY, 'platform-v1'),
  deleteITwin: op('delete-itwin', 'DELETE', '/itwins/:iTwinId', ITWINS_MODIFY, 'platform-v1'),
  addITwinMembers: op('add-itwin-members', 'POST', '/accesscontrol/itwins/:iTwinId/members', ITWINS_MODIFY, 'platform-v1'),
  getITwinMembers: op('get-itwin-members', 'GET', '/accesscontrol/itwins/:iTwinId/members', ITWINS_READ, 'platform-v1'),
  getITwinMember: op('get-itwin-member', 'GET', '/accesscontrol/itwins/:iTwinId/members/:memberId', ITWINS_READ, 'platform-v1'),
  removeITwinMember: op('remove-itwin-member', 'DELETE', '/accesscontrol/itwins/:iTwinId/members/:memberId', ITWINS_MODIFY, 'platform-v1'),

  // Access Control v2 (docs/access-control.md): the iTwin CLI sends the v2 media type. Static segments
  // (users, owners, invitations, groups) win over the older /members/:memberId, so both APIs share these paths.
  addITwinUserMembers: op('add-itwin-user-members', 'POST', `${AC}/members/users`, ITWINS_MODIFY, 'platform-v1-v2'),
  getITwinUserMembers: op('get-itwin-user-members', 'GET', `${AC}/members/users`, ITWINS_READ, 'platform-v1-v2'),
  getITwinUserMember: op('get-itwin-user-member', 'GET', `${AC}/members/users/:memberId`, ITWINS_READ, 'platform-v1-v2'),
  updateITwinUserMember: op('update-itwin-user-member', 'PATCH', `${AC}/members/users/:memberId`, ITWINS_MODIFY, 'platform-v1-v2'),
  removeITwinUserMember: op('remove-itwin-user-member', 'DELETE', `${AC}/members/users/:memberId`, ITWINS_MODIFY, 'platform-v1-v2'),
  addITwinOwnerMember: op('add-itwin-owner-member', 'POST', `${AC}/members/owners`, ITWINS_MODIFY, 'platform-v1-v2'),
  getITwinOwnerMembers: op('get-itwin-owner-members', 'GET', `${AC}/members/owners`, ITWINS_READ, 'platform-v1-v2'),
  removeITwinOwnerMember: op('remove-itwin-owner-member', 'DELETE', `${AC}/members/owners/:memberId`, ITWINS_MODIFY, 'platform-v1-v2'),
  getITwinMemberInvitations: op('get-itwin-member-invitations', 'GET', `${AC}/members/invitations`, ITWINS_READ, 'platform-v1-v2'),
  createITwinRole: op('create-itwin-role', 'POST', `${AC}/roles`, ITWINS_MODIFY, 'platform-v1-v2'),
  getITwinRoles: op('get-itwin-roles', 'GET', `${AC}/roles`, ITWINS_READ, 'platform-v1-v2'),
  getITwinRole: op('get-itwin-role', 'GET', `${AC}/roles/:roleId`, ITWINS_READ, 'platform-v1-v2'),
  updateITwinRole: op('update-itwin-role', 'PATCH', `${AC}/roles/:roleId`, ITWINS_MODIFY, 'platform-v1-v2'),
  deleteITwinRole: op('delete-itwin-role', 'DELETE', `${AC}/roles/:roleId`, ITWINS_MODIFY, 'platform-v1-v2'),
  createITwinGroup: op('create-itwin-group', 'POST', `${AC}/groups`, ITWINS_MODIFY, 'platform-v1-v2'),
  getITwinGroups: op('get-itwin-groups', 'GET', `${AC}/groups`, ITWINS_READ, 'platform-v1-v2'),
  getITwinGroup: op('get-itwin-group', 'GET', `${AC}/groups/:groupId`, ITWINS_READ, 'platform-v1-v2'),
  updateITwinGroup: op('update-itwin-group', 'PATCH', `${AC}/groups/:groupId`, ITWINS_MODIFY, 'platform-v1-v2'),
  deleteITwinGroup: op('delete-itwin-group', 'DELETE', `${AC}/groups/:groupId`, ITWINS_MODIFY, 'platform-v1-v2'),
  addITwinGroupMembers: op('add-itwin-group-members', 'POST', `${AC}/members/groups`, ITWINS_MODIFY, 'platform-v1-v2'),
  getITwinGroupMembers: op('get-itwin-group-members', 'GET', `${AC}/members/groups`, ITWINS_READ, 'platform-v1-v2'),
  getITwinGroupMember: op('get-itwin-group-member', 'GET', `${AC}/members/groups/:groupId`, ITWINS_READ, 'platform-v1-v2'),
  updateITwinGroupMember: op('update-itwin-group-member', 'PATCH', `${AC}/members/groups/:groupId`, ITWINS_MODIFY, 'platform-v1-v2'),
  removeITwinGroupMember: op('remove-itwin-group-member', 'DELETE', `${AC}/members/groups/:groupId`, ITWINS_MODIFY, 'platform-v1-v2'),
  getAllPermissions: op('get-all-permissions', 'GET', '/accesscontrol/itwins/permissions', ITWINS_READ, 'platform-v1-v2'),
  getITwinPermissions: op('get-itwin-permissions', 'GET', `${AC}/permissions`, ITWINS_READ, 'platform-v1-v2'),
  // Users API (docs/access-control.md, "Users"): documented at v1; v2 accepted too, as clients that share one
  // platform client send it. The search's path has a trailing slash, as the platform's.
  getMe: op('get-me', 'GET', '/users/me', USERS_READ, 'platform-v1-v2'),
  getUsersByIdList: op('get-users-by-id-list', 'POST', '/users/getbyidlist', USERS_READ, 'platform-v1-v2'),
  getUsers: op('get-users', 'GET', '/users/', USERS_READ, 'platform-v1-v2'),
  // Changed Elements (docs/changed-elements.md)
  enableChangeTracking: op('enable-change-tracking', 'PUT', '/changedelements/tracking', CHANGED_ELEMENTS_MODIFY, 'platform-v1'),
  getTracking: op('get-tracking', 'GET', '/changedelements/tracking', CHANGED_ELEMENTS_READ, 'platform-v1'),
  getChangedElementsChangesets: op('get-changesets', 'GET', '/changedelements/changesets', CHANGED_ELEMENTS_READ, 'platform-v1'),
  getComparison: op('get-comparison', 'GET', '/changedelements/comparison', CHANGED_ELEMENTS_READ, 'platform-v1'),

  // iModels (the iModels API serves v1 and v2 media types)
  createIModel: op('create-imodel', 'POST', '/imodels', IMODELS_MODIFY, 'platform-v1-v2'),
  getIModel: op('get-imodel-details', 'GET', '/imodels/:iModelId', IMODELS_READ, 'platform-v1-v2'),
  getIModels: op('get-imodels', 'GET', '/imodels', IMODELS_READ, 'platform-v1-v2'),
  deleteIModel: op('delete-imodel', 'DELETE', '/imodels/:iModelId', IMODELS_MODIFY, 'platform-v1-v2'),
  updateIModel: op('update-imodel', 'PATCH', '/imodels/:iModelId', IMODELS_MODIFY, 'platform-v1-v2'),
  getIModelUsers: op('get-imodel-users', 'GET', '/imodels/:iModelId/users', IMODELS_READ, 'platform-v1-v2'),
  getIModelUser: op('get-imodel-user-details', 'GET', '/imodels/:iModelId/users/:userId', IMODELS_READ, 'platform-v1-v2'),
  // Versions (docs/versions.md)
  getChangesets: op('get-imodel-changesets', 'GET', '/imodels/:iModelId/changesets', IMODELS_READ, 'platform-v1-v2'),
  getChangeset: op('get-imodel-changeset-details', 'GET', '/imodels/:iModelId/changesets/:changeset', IMODELS_READ, 'platform-v1-v2'),
  createNamedVersion: op('create-imodel-named-version', 'POST', '/imodels/:iModelId/namedversions', IMODELS_MODIFY, 'platform-v1-v2'),
  getNamedVersions: op('get-imodel-named-versions', 'GET', '/imodels/:iModelId/namedversions', IMODELS_READ, 'platform-v1-v2'),
  getNamedVersion: op('get-imodel-named-version-details', 'GET', '/imodels/:iModelId/namedversions/:namedVersionId', IMODELS_READ, 'platform-v1-v2'),
  updateNamedVersion: op('update-imodel-named-version', 'PATCH', '/imodels/:iModelId/namedversions/:namedVersionId', IMODELS_MODIFY, 'platform-v1-v2'),
  getChangesetCheckpoint: op('get-changeset-checkpoint', 'GET', '/imodels/:iModelId/changesets/:changeset/checkpoint', IMODELS_READ, 'platform-v1-v2'),
  getNamedVersionCheckpoint: op(
    'get-named-version-checkpoint',
    'GET',
    '/imodels/:iModelId/namedversions/:namedVersionId/checkpoint',
    IMODELS_READ,
    'platform-v1-v2',
  ),
  // The latest checkpoint: the iModels API's path (what its client calls), and a shorter one of twinsync's.
  getBriefcaseCheckpoint: op('get-briefcase-checkpoint', 'GET', '/imodels/:iModelId/briefcases/checkpoint', IMODELS_READ, 'platform-v1-v2'),
  getLatestCheckpoint: op('get-latest-checkpoint', 'GET', '/imodels/:iModelId/checkpoint', IMODELS_READ, 'platform-v1-v2'),
  // A checkpoint's file: its signed URL is the credential, as an Azure SAS URL is.
  downloadCheckpoint: op('download-checkpoint', 'GET', '/imodels/:iModelId/checkpoints/:changesetIndex/file', null, 'any'),
  // The model of a version, for a web page (docs/model-view.md): read as the iModel's changesets are.
  getModelVersions: op('get-model-versions', 'GET', '/twinsync/imodels/:iModelId/model-versions', IMODELS_READ, 'platform-v1-v2'),
  getModelGraphics: op('get-model-graphics', 'GET', `${MODEL_VIEW}/graphics.glb`, IMODELS_READ, 'any'),
  getModelElements: op('get-model-elements', 'GET', `${MODEL_VIEW}/elements`, IMODELS_READ, 'platform-v1-v2'),
  getModelElement: op('get-model-element', 'GET', `${MODEL_VIEW}/elements/:elementId`, IMODELS_READ, 'platform-v1-v2'),
  getModelCategories: op('get-model-categories', 'GET', `${MODEL_VIEW}/categories`, IMODELS_READ, 'platform-v1-v2'),
  getModelChanges: op('get-model-changes', 'GET', `${MODEL_VIEW}/changes`, IMODELS_READ, 'platform-v1-v2'),

  // Storage. The upload is the one public route: its signed URL is the credential, as a SAS URL is.
  getTopLevelItems: op('get-top-level-folders-and-files-by-itwin', 'GET', '/storage', STORAGE_READ, 'platform-v1'),
  createFolder: op('create-folder', 'POST', '/storage/folders/:folderId/folders', STORAGE_MODIFY, 'platform-v1'),
  getFolder: op('get-folder', 'GET', '/storage/folders/:folderId', STORAGE_READ, 'platform-v1'),
  getFolderItems: op('get-folders-and-files-in-folder', 'GET', '/storage/folders/:folderId/list', STORAGE_READ, 'platform-v1'),
  getFilesInFolder: op('get-files-in-folder', 'GET', '/storage/folders/:folderId/files', STORAGE_READ, 'platform-v1'),
  getFoldersInFolder: op('get-folders-in-folder', 'GET', '/storage/folders/:folderId/folders', STORAGE_READ, 'platform-v1'),
  updateFolder: op('update-folder', 'PATCH', '/storage/folders/:folderId', STORAGE_MODIFY, 'platform-v1'),
  deleteFolder: op('delete-folder', 'DELETE', '/storage/folders/:folderId', STORAGE_MODIFY, 'platform-v1'),
  createFile: op('create-file', 'POST', '/storage/folders/:folderId/files', STORAGE_MODIFY, 'platform-v1'),
  uploadFileContent: op('upload-file-content', 'PUT', '/storage/files/:fileId/content', null, 'any'),
  completeFileCreation: op('complete-file-creation', 'POST', '/storage/files/:fileId/complete', STORAGE_MODIFY, 'platform-v1'),
  updateFileContent: op('update-file-content', 'POST', '/storage/files/:fileId/updatecontent', STORAGE_MODIFY, 'platform-v1'),
  getFile: op('get-file', 'GET', '/storage/files/:fileId', STORAGE_READ, 'platform-v1'),
  updateFile: op('update-file', 'PATCH', '/storage/files/:fileId', STORAGE_MODIFY, 'platform-v1'),
  // The download answers 302 to a signed URL of the content (the URL is the credential, as a SAS URL is).
  downloadFile: op('download-file', 'GET', '/storage/files/:fileId/download', STORAGE_READ, 'any'),
  downloadFileContent: op('download-file-content', 'GET', '/storage/files/:fileId/content', null, 'any'),
  deleteFile: op('delete-file', 'DELETE', '/storage/files/:fileId', STORAGE_MODIFY, 'platform-v1'),

  // Published face
  openapiDocument: op('openapi-document', 'GET', '/openapi.json', null, 'any'),

  // Built-in token issuer (OAuth 2.0 / OpenID Connect discovery)
  openidConfiguration: op('openid-configuration', 'GET', '/.well-known/openid-configuration', null, 'any'),
  jwks: op('jwks', 'GET', '/.well-known/jwks.json', null, 'any'),
  token: op('token', 'POST', '/connect/token', null, 'any'),
  authorize: op('authorize', 'GET', '/connect/authorize', null, 'any'),
  // What the sign-in page posts: the authorization request stays in the query, the credentials in the form.
  submitSignIn: op('submit-sign-in', 'POST', '/connect/authorize', null, 'any'),
  userinfo: op('userinfo', 'GET', '/connect/userinfo', ['openid'], 'any'),

  // The web application's settings (docs/web-app.md): what its page needs to sign in, before it has a token.
  getWebAppConfig: op('get-web-app-config', 'GET', '/app/config.json', null, 'any'),

  // Operations (docs/operations.md): for probes and scrapers, no bearer token, no rate limit.
  // /metrics checks its own token (METRICS_TOKEN), not an OAuth one.
  getHealthLive: op('get-health-live', 'GET', '/health/live', null, 'any'),
  getHealthReady: op('get-health-ready', 'GET', '/health/ready', null, 'any'),
  getMetrics: op('get-metrics', 'GET', '/metrics', null, 'any'),
} as const satisfies Record<string, Operation>;
