import { Type } from 'typebox';
import { CONNECTOR_TYPES } from '../../domain/connector-types.js';
import { Link } from './common.js';

export const ConnectorType = Type.String({
  enum: [...CONNECTOR_TYPES],
  description: 'Type of connector used for synchronization (matched case-insensitively).',
});

export const AuthenticationType = Type.String({
  enum: ['User', 'Service'],
  description: "A type used for defining authorization workflow for this connection. Default is 'User'.",
});

// The request bodies are enforced by domain/storage-connections/create-body.ts (source files too);
// test/integration/body-contract.test.ts keeps the two alike.

const DisplayName = Type.String({ maxLength: 255, description: 'A storage connection display name.' });
const AuthenticationTypeInput = Type.String({
  enum: ['User', 'Service'],
  description: "A type used for defining authorization workflow for this connection (matched in any case). Default is 'User'.",
});

export const StorageFileCreate = Type.Object({
  storageFileId: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'Storage file id.' }),
  connectorType: ConnectorType,
});

export const StorageConnectionCreate = Type.Object({
  iModelId: Type.String({ format: 'uuid', description: 'iModel id.' }),
  sourceFiles: Type.Array(StorageFileCreate, { minItems: 1, maxItems: 1000, description: 'Source files to be synchronized.' }),
  displayName: Type.Optional(DisplayName),
  authenticationType: Type.Optional(AuthenticationTypeInput),
});

export const StorageConnection = Type.Object({
  id: Type.String({ description: 'Storage connection id.' }),
  displayName: Type.String(),
  iModelId: Type.String(),
  iTwinId: Type.String(),
  authenticationType: AuthenticationType,
  _links: Type.Object({
    iModel: Link,
    iTwin: Link,
    lastRun: Type.Optional(Link),
  }),
});

export const StorageConnectionResponse = Type.Object({ connection: StorageConnection });

export const StorageConnectionUpdate = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    authenticationType: Type.Optional(AuthenticationTypeInput),
  },
  { minProperties: 1, description: 'Send displayName, authenticationType or both.' },
);

/** List items: minimal is `{id, displayName}`; `Prefer: return=representation` gives whole connections. */
export const StorageConnectionListItem = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  iModelId: Type.Optional(Type.String()),
  iTwinId: Type.Optional(Type.String()),
  authenticationType: Type.Optional(AuthenticationType),
  _links: Type.Optional(StorageConnection.properties._links),
});

export const StorageConnectionList = Type.Object({
  connections: Type.Array(StorageConnectionListItem),
  _links: Type.Object({ self: Link, prev: Type.Optional(Link), next: Type.Optional(Link) }),
});

export const ConnectionListQuery = Type.Object({
  imodelId: Type.Optional(Type.String({ description: 'iModel id (the name is matched in any case, e.g. iModelId).' })),
  $top: Type.Optional(Type.String({ description: 'Page size, 1 to 1000 (default 1000).' })),
  $skip: Type.Optional(Type.String({ description: 'Items to skip (default 0).' })),
  $continuationToken: Type.Optional(
    Type.String({ description: 'Where the page starts, as a `_links.next` of this list gave it (opaque); `$skip` then counts from there.' }),
  ),
});
