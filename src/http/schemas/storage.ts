import { Type } from 'typebox';
import { Link } from './common.js';
import { CollectionLinks, ContinuedPagingQuery } from './source-file.js';

// Enforced by domain/storage/item-body.ts; test/integration/body-contract.test.ts keeps the two alike.
const ItemName = Type.String({ maxLength: 255, description: 'Not blank; none of \\ / : * ? " < > | or control characters; no executables for files.' });

export const ItemCreate = Type.Object({
  displayName: ItemName,
  description: Type.Optional(Type.String({ maxLength: 1024 })),
});

export const ItemUpdate = Type.Object({
  displayName: Type.Optional(ItemName),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()], { description: 'null clears it.' })),
});

const itemProperties = {
  id: Type.String({ description: 'Storage id (43-char base64url).' }),
  displayName: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  path: Type.String({ description: 'Path from the iTwin root folder.' }),
  lastModifiedByDisplayName: Type.String({ description: 'The sub of the last modifier.' }),
  createdDateTime: Type.String(),
  lastModifiedDateTime: Type.String(),
  parentFolderId: Type.Optional(Type.String({ description: 'Absent on a root folder.' })),
  _links: Type.Object({ createdBy: Link, lastModifiedBy: Link, parentFolder: Type.Optional(Link) }),
};

export const File = Type.Object({
  type: Type.Literal('file'),
  ...itemProperties,
  size: Type.Number({ description: 'Bytes of the completed content (0 before the first complete).' }),
});
export const Folder = Type.Object({ type: Type.Literal('folder'), ...itemProperties });
const Item = Type.Object({
  type: Type.String({ enum: ['file', 'folder'] }),
  ...itemProperties,
  size: Type.Optional(Type.Number()),
});

export const FileResponse = Type.Object({ file: File });
export const FolderResponse = Type.Object({ folder: Folder });
export const ItemList = Type.Object({ items: Type.Array(Item), _links: CollectionLinks });
export const FileList = Type.Object({ files: Type.Array(File), _links: CollectionLinks });
export const FolderList = Type.Object({ folders: Type.Array(Folder), _links: CollectionLinks });
export const TopLevelList = Type.Object({
  items: Type.Array(Item),
  _links: Type.Object({ folder: Link, ...CollectionLinks.properties }),
});

export const UploadLinks = Type.Object({
  _links: Type.Object({
    uploadUrl: Link,
    completeUrl: Link,
  }),
});

export const FolderParams = Type.Object({ folderId: Type.String() });
export const FileParams = Type.Object({ fileId: Type.String() });

export const TopLevelQuery = Type.Object({
  ...ContinuedPagingQuery.properties,
  iTwinId: Type.Optional(Type.String({ description: 'The iTwin (required, or the legacy projectId).' })),
  projectId: Type.Optional(Type.String({ description: 'Legacy name of iTwinId.' })),
});

/** The signed download URL's query (download-file gives it; the signature covers the rest). */
export const DownloadQuery = Type.Object({
  version: Type.Optional(Type.String()),
  expires: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
});

export const UploadQuery = Type.Object({
  version: Type.Optional(Type.String()),
  expires: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
  comp: Type.Optional(
    Type.String({ description: 'Azure block operations: `block` (Put Block) or `blocklist` (Put Block List); absent for a whole upload (Put Blob).' }),
  ),
  blockid: Type.Optional(Type.String({ description: 'comp=block: the block id, Base64 of 1 to 64 bytes, the same length for every block of an upload.' })),
});
