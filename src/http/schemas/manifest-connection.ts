import { Type } from 'typebox';
import { SOURCE_FILE_ID_PATTERN } from '../../domain/manifest-connections/body.js';
import {
  MAX_ATTRIBUTE_BYTES,
  MAX_CHILDREN,
  MAX_MANIFEST_FILES,
  MAX_NAME_LENGTH,
  MAX_RELATIVE_PATH_LENGTH,
  MAX_URL_LENGTH,
} from '../../domain/manifest-connections/manifest-body.js';
import { Link } from './common.js';
import { CollectionLinks } from './source-file.js';
import { AuthenticationType, ConnectorType, StorageConnection, StorageConnectionUpdate } from './storage-connection.js';

// The request bodies are enforced by domain/manifest-connections/*body.ts; test/integration/body-contract.test.ts keeps the two alike.

const SourceFileId = Type.String({
  pattern: SOURCE_FILE_ID_PATTERN,
  description: "The document system's id of the file: 1 to 128 letters, digits, '.', '_', '~' or '-'.",
});

export const ManifestSourceFileCreate = Type.Object({ sourceFileId: SourceFileId });

export const ManifestConnectionCreate = Type.Object({
  iModelId: Type.String({ format: 'uuid', description: 'iModel id.' }),
  sourceFiles: Type.Array(ManifestSourceFileCreate, { minItems: 1, maxItems: 1000, description: 'Source files whose manifests the connection synchronizes.' }),
  displayName: Type.Optional(Type.String({ maxLength: 255, description: 'A manifest connection display name.' })),
  authenticationType: Type.Optional(
    Type.String({
      enum: ['User', 'Service'],
      description: "A type used for defining authorization workflow for this connection (matched in any case). Default is 'User'.",
    }),
  ),
});

export const ManifestConnectionUpdate = StorageConnectionUpdate;
export const ManifestConnection = Type.Object({ ...StorageConnection.properties, id: Type.String({ description: 'Manifest connection id.' }) });
export const ManifestConnectionResponse = Type.Object({ connection: ManifestConnection });
export const ManifestConnectionList = Type.Object({
  connections: Type.Array(
    Type.Object({
      id: Type.String(),
      displayName: Type.String(),
      iModelId: Type.Optional(Type.String()),
      iTwinId: Type.Optional(Type.String()),
      authenticationType: Type.Optional(AuthenticationType),
      _links: Type.Optional(StorageConnection.properties._links),
    }),
  ),
  _links: Type.Object({ self: Link, prev: Type.Optional(Link), next: Type.Optional(Link) }),
});
export const ManifestConnectionListQuery = Type.Object({
  // Required, and checked by the domain: a missing one is a 422 detail in the operation's family.
  imodelId: Type.Optional(Type.String({ description: 'iModel id (required; the name is matched in any case, e.g. iModelId).' })),
  $top: Type.Optional(Type.String({ description: 'Page size, 1 to 1000 (default 1000).' })),
  $skip: Type.Optional(Type.String({ description: 'Items to skip (default 0).' })),
  $continuationToken: Type.Optional(
    Type.String({ description: 'Where the page starts, as a `_links.next` of this list gave it (opaque); `$skip` then counts from there.' }),
  ),
});

export const ManifestSourceFile = Type.Object({ id: Type.String({ description: 'Source file id (UUID).' }), sourceFileId: Type.String() });
export const ManifestSourceFileResponse = Type.Object({ sourceFile: ManifestSourceFile });
export const ManifestSourceFileList = Type.Object({ sourceFiles: Type.Array(ManifestSourceFile), _links: CollectionLinks });

const Url = (description: string) => Type.String({ maxLength: MAX_URL_LENGTH, description: `${description} Absolute, without user name or password.` });
const Name = Type.String({ maxLength: MAX_NAME_LENGTH, description: 'The file name connectors see (no folders: see relativePath).' });
const RelativePath = Type.String({ maxLength: MAX_RELATIVE_PATH_LENGTH, description: "Where the file lies, relative and '/'-separated, without '..'." });
const Attribute = (description: string) =>
  Type.Object({}, { additionalProperties: true, description: `${description} A JSON object of at most ${MAX_ATTRIBUTE_BYTES} bytes.` });

export const ManifestChild = Type.Object({
  id: Type.String({ pattern: SOURCE_FILE_ID_PATTERN, description: 'The reference file id, unique under its source file.' }),
  parentId: Type.String({ pattern: SOURCE_FILE_ID_PATTERN, description: 'The id of its source file, or of another child of it.' }),
  name: Name,
  url: Url('Pre-authenticated http(s) URL of the reference file.'),
  connectorType: Type.Optional(ConnectorType),
  relativePath: Type.Optional(RelativePath),
  documentAttribute: Type.Optional(Attribute('Document attributes.')),
  documentMetadata: Type.Optional(Attribute('Document metadata.')),
});

export const ManifestFile = Type.Object({
  id: Type.String({ pattern: SOURCE_FILE_ID_PATTERN, description: 'A sourceFileId of the connection (for unmap: or one it synchronized before).' }),
  name: Name,
  url: Url('Pre-authenticated http(s) URL of the file (downloaded only for bridge).'),
  connectorType: ConnectorType,
  action: Type.Optional(
    Type.String({ enum: ['bridge', 'unmap'], default: 'bridge', description: 'bridge synchronizes the file; unmap removes what it brought in.' }),
  ),
  relativePath: Type.Optional(RelativePath),
  documentAttribute: Type.Optional(Attribute('Document attributes.')),
  documentMetadata: Type.Optional(Attribute('Document metadata.')),
  children: Type.Optional(
    Type.Array(ManifestChild, {
      maxItems: MAX_CHILDREN,
      description: 'Reference files, downloaded with the file and given to its connector (an unmap downloads none).',
    }),
  ),
});

export const ManifestRunCreate = Type.Object({
  documentAttributeSchemaUrl: Type.Optional(Url('http(s) URL of the JSON file that defines the document attribute schema.')),
  sourceFiles: Type.Array(ManifestFile, { minItems: 1, maxItems: MAX_MANIFEST_FILES, description: `At most ${MAX_MANIFEST_FILES} files, children included.` }),
});
