/**
 * Every path of the service the page calls, in one place: the same paths any client of the API
 * uses (src/http/operations.ts), nothing made for the page alone but /app/config.json.
 */
const SC = '/synchronization/imodels/storageconnections';
const MC = '/synchronization/imodels/manifestconnections';
const e = encodeURIComponent;

export const paths = {
  itwins: '/itwins',
  itwin: (id: string) => `/itwins/${e(id)}`,
  imodels: (iTwinId: string) => `/imodels?iTwinId=${e(iTwinId)}`,
  createIModel: '/imodels',
  imodel: (id: string) => `/imodels/${e(id)}`,
  changesets: (iModelId: string) => `/imodels/${e(iModelId)}/changesets?$orderBy=index%20desc`,
  namedVersions: (iModelId: string) => `/imodels/${e(iModelId)}/namedversions`,
  storageTop: (iTwinId: string) => `/storage/?iTwinId=${e(iTwinId)}`,
  folderFiles: (folderId: string) => `/storage/folders/${e(folderId)}/files`,
  connections: (iModelId: string) => `${SC}?imodelId=${e(iModelId)}`,
  createConnection: SC,
  connection: (id: string) => `${SC}/${e(id)}`,
  sourceFiles: (connectionId: string) => `${SC}/${e(connectionId)}/sourcefiles`,
  sourceFile: (connectionId: string, sourceFileId: string) => `${SC}/${e(connectionId)}/sourcefiles/${e(sourceFileId)}`,
  run: (connectionId: string) => `${SC}/${e(connectionId)}/run`,
  runs: (connectionId: string) => `${SC}/${e(connectionId)}/runs`,
  runOf: (connectionId: string, runId: string) => `${SC}/${e(connectionId)}/runs/${e(runId)}`,
  runEvents: (connectionId: string, runId: string) => `${SC}/${e(connectionId)}/runs/${e(runId)}/events`,
  manifestConnections: (iModelId: string) => `${MC}?imodelId=${e(iModelId)}`,
  manifestConnection: (id: string) => `${MC}/${e(id)}`,
  manifestSourceFiles: (connectionId: string) => `${MC}/${e(connectionId)}/sourcefiles`,
  // A manifest connection's run request carries the manifest; its runs are listed and read under the same path.
  manifestRuns: (connectionId: string) => `${MC}/${e(connectionId)}/runs`,
  manifestRunOf: (connectionId: string, runId: string) => `${MC}/${e(connectionId)}/runs/${e(runId)}`,
  imodelEvents: (iModelId: string) => `/synchronization/imodels/${e(iModelId)}/events`,
  reports: (iModelId: string, runId: string, taskId?: string) =>
    `/synchronization/reports?iModelId=${e(iModelId)}&runId=${e(runId)}${taskId ? `&taskId=${e(taskId)}` : ''}`,
  authorizationInformation: (redirectUrl: string) => `/synchronization/imodels/connections/authorizationinformation?redirectUrl=${e(redirectUrl)}`,
  userMembers: (iTwinId: string) => `/accesscontrol/itwins/${e(iTwinId)}/members/users`,
  ownerMembers: (iTwinId: string) => `/accesscontrol/itwins/${e(iTwinId)}/members/owners`,
  invitations: (iTwinId: string) => `/accesscontrol/itwins/${e(iTwinId)}/members/invitations`,
  roles: (iTwinId: string) => `/accesscontrol/itwins/${e(iTwinId)}/roles`,
  role: (iTwinId: string, roleId: string) => `/accesscontrol/itwins/${e(iTwinId)}/roles/${e(roleId)}`,
  me: '/users/me',
};
