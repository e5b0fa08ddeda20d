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

export const StorageFileCreate = Type.Object({
  storageFileId: Type.String({ description: 'Storage file id.' }),
  connectorType: ConnectorType,
});

export const StorageConnectionCreate = Type.Object({
  iModelId: Type.String({ description: 'iModel id.' }),
  sourceFiles: Type.Array(StorageFileCreate, { description: 'Source files to be synchronized.' }),
  displayName: Type.Optional(Type.String({ description: 'A storage connection display name.' })),
  authenticationType: Type.Optional(AuthenticationType),
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
