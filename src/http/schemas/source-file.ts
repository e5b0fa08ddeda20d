import { Type } from 'typebox';
import { Link } from './common.js';
import { StorageFileCreate } from './storage-connection.js';

export const SourceFileBody = StorageFileCreate;

export const SourceFile = Type.Object({
  id: Type.String({ description: 'Source file id (UUID).' }),
  storageFileId: Type.String(),
  connectorType: Type.Optional(Type.String({ description: 'Present in full representations.' })),
  lastKnownFileName: Type.String({ description: "The storage file's display name." }),
  _links: Type.Object({ file: Link }),
});

export const SourceFileResponse = Type.Object({ sourceFile: SourceFile });

export const CollectionLinks = Type.Object({
  self: Link,
  prev: Type.Optional(Link),
  next: Type.Optional(Link),
});

export const SourceFileList = Type.Object({ sourceFiles: Type.Array(SourceFile), _links: CollectionLinks });

export const ConnectionParams = Type.Object({ connectionId: Type.String() });
export const SourceFileParams = Type.Object({ connectionId: Type.String(), sourceFileId: Type.String() });

/** Paging as the platform spells it; checked by the domain (bad values are 422 details). */
export const PagingQuery = Type.Object({
  $top: Type.Optional(Type.String({ description: 'Page size, 1 to 1000 (default 1000).' })),
  $skip: Type.Optional(Type.String({ description: 'Items to skip (default 0).' })),
});

/** The paging of a list whose `_links.next` continues by token (see docs/decisions.md, "Collections and paging"). */
export const ContinuedPagingQuery = Type.Object({
  ...PagingQuery.properties,
  $continuationToken: Type.Optional(
    Type.String({ description: 'Where the page starts, as a `_links.next` of this list gave it (opaque); `$skip` then counts from there.' }),
  ),
});
