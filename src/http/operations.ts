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
  readonly media: 'platform-v1' | 'any';
}

export const READ_SCOPES = ['synchronization:read', 'itwin-platform'] as const;
export const MODIFY_SCOPES = ['synchronization:modify', 'itwin-platform'] as const;

function op(id: string, method: Operation['method'], url: string, scopes: readonly string[] | null, media: Operation['media']): Operation {
  return Object.freeze({ id, method, url, scopes, media });
}

const SC = '/synchronization/imodels/storageconnections';

export const operations = {
  // Synchronization API
  createStorageConnection: op('create-storage-connection', 'POST', `${SC}`, MODIFY_SCOPES, 'platform-v1'),
  getStorageConnection: op('get-storage-connection', 'GET', `${SC}/:connectionId`, READ_SCOPES, 'platform-v1'),
  getStorageConnections: op('get-storage-connections', 'GET', `${SC}`, READ_SCOPES, 'platform-v1'),
  getConnections: op('get-connections', 'GET', '/synchronization/imodels/connections', READ_SCOPES, 'platform-v1'),
  updateStorageConnection: op('update-storage-connection', 'PUT', `${SC}/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  deleteStorageConnection: op('delete-storage-connection', 'DELETE', `${SC}/:connectionId`, MODIFY_SCOPES, 'platform-v1'),
  addSourceFile: op('add-storage-connection-sourcefile', 'POST', `${SC}/:connectionId/sourcefiles`, MODIFY_SCOPES, 'platform-v1'),
  getSourceFile: op('get-storage-connection-sourcefile', 'GET', `${SC}/:connectionId/sourcefiles/:sourceFileId`, READ_SCOPES, 'platform-v1'),
  getSourceFiles: op('get-storage-connection-sourcefiles', 'GET', `${SC}/:connectionId/sourcefiles`, READ_SCOPES, 'platform-v1'),
  updateSourceFile: op('update-storage-connection-sourcefile', 'PUT', `${SC}/:connectionId/sourcefiles/:sourceFileId`, MODIFY_SCOPES, 'platform-v1'),
  removeSourceFile: op('remove-storage-connection-sourcefile', 'DELETE', `${SC}/:connectionId/sourcefiles/:sourceFileId`, MODIFY_SCOPES, 'platform-v1'),

  // Published face
  openapiDocument: op('openapi-document', 'GET', '/openapi.json', null, 'any'),

  // Built-in token issuer (OAuth 2.0 / OpenID Connect discovery)
  openidConfiguration: op('openid-configuration', 'GET', '/.well-known/openid-configuration', null, 'any'),
  jwks: op('jwks', 'GET', '/.well-known/jwks.json', null, 'any'),
  token: op('token', 'POST', '/connect/token', null, 'any'),
  authorize: op('authorize', 'GET', '/connect/authorize', null, 'any'),
} as const satisfies Record<string, Operation>;

