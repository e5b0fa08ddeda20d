import { Type } from 'typebox';
import { Link } from './common.js';
import { CollectionLinks, ContinuedPagingQuery, PagingQuery } from './source-file.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Application = Type.Object({ id: Type.String(), name: Type.String() });

// Changesets

const MinimalChangesetFields = {
  id: Type.String({ description: '40 hexadecimal digits.' }),
  displayName: Type.String({ description: 'The index, as a string.' }),
  description: Type.String({ description: 'What the synchronization task did.' }),
  index: Type.Integer({ description: 'From 1, one per successful synchronization task.' }),
  parentId: Type.String({ description: "The previous changeset's id; '' for the first." }),
  creatorId: Type.String({ description: 'Who started the run (token subject).' }),
  pushDateTime: Type.String(),
  state: Type.String({ description: 'Always `fileUploaded`.' }),
  containingChanges: Type.Integer(),
  fileSize: Type.Integer({ description: 'Always 0: twinsync writes no changeset files (docs/versions.md).' }),
  briefcaseId: Type.Integer({ description: 'Always 2, the first briefcase id iModelHub gives.' }),
  groupId: Type.Null(),
};
const MinimalChangesetLinks = { self: Link, creator: Link };

export const MinimalChangeset = Type.Object({ ...MinimalChangesetFields, _links: Type.Object(MinimalChangesetLinks) });

export const Changeset = Type.Object({
  ...MinimalChangesetFields,
  application: Application,
  synchronizationInfo: Type.Object({ taskId: Type.String(), changedFiles: Type.Array(Type.String()) }),
  _links: Type.Object({
    ...MinimalChangesetLinks,
    namedVersion: Nullable(Link),
    currentOrPrecedingCheckpoint: Link,
    download: Type.Null({ description: 'No changeset file (docs/versions.md).' }),
    upload: Type.Null(),
    complete: Type.Null(),
  }),
});

export const ChangesetResponse = Type.Object({ changeset: Changeset });
export const ChangesetList = Type.Object({ changesets: Type.Array(Type.Union([Changeset, MinimalChangeset])), _links: CollectionLinks });

export const ChangesetListQuery = Type.Object({
  ...ContinuedPagingQuery.properties,
  afterIndex: Type.Optional(Type.String({ description: 'Only changesets with a greater index.' })),
  lastIndex: Type.Optional(Type.String({ description: 'Only changesets up to this index.' })),
  $orderBy: Type.Optional(Type.String({ description: '`index`, `index asc` (default) or `index desc`.' })),
});

export const ChangesetParams = Type.Object({
  iModelId: Type.String(),
  changeset: Type.String({ description: 'Changeset id (40 hexadecimal digits) or index (from 1).' }),
});

// Named versions

const MinimalNamedVersionFields = {
  id: Type.String(),
  displayName: Type.String(),
  changesetId: Nullable(Type.String()),
  changesetIndex: Type.Integer({ description: '0: the baseline, before any changeset.' }),
};

export const MinimalNamedVersion = Type.Object(MinimalNamedVersionFields);

export const NamedVersion = Type.Object({
  ...MinimalNamedVersionFields,
  name: Type.String(),
  description: Nullable(Type.String()),
  createdDateTime: Type.String(),
  state: Type.String({ description: '`visible` or `hidden`.' }),
  application: Application,
  _links: Type.Object({ creator: Link, changeset: Nullable(Link) }),
});

export const NamedVersionResponse = Type.Object({ namedVersion: NamedVersion });
export const NamedVersionList = Type.Object({ namedVersions: Type.Array(Type.Union([NamedVersion, MinimalNamedVersion])), _links: CollectionLinks });

export const NamedVersionListQuery = Type.Object({
  ...PagingQuery.properties,
  name: Type.Optional(Type.String({ description: 'Only the named versions of this exact name.' })),
  state: Type.Optional(Type.String({ description: '`visible` or `hidden`: only the named versions in this state.' })),
  $search: Type.Optional(Type.String({ description: 'Only the named versions whose name or description contains this text, ignoring case.' })),
  $orderBy: Type.Optional(
    Type.String({
      description: '`changesetIndex` (default), `createdDateTime`, either followed by `asc` (default) or `desc`.',
    }),
  ),
});

/** Enforced by domain/versions/named-version-body.ts; test/integration/body-contract.test.ts keeps the two alike. */
export const NamedVersionCreate = Type.Object({
  name: Type.String({ maxLength: 255, description: 'Not blank.' }),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  changesetId: Type.Optional(
    Type.String({ pattern: '^[0-9a-fA-F]{40}$', description: 'The changeset to name; neither this nor changesetIndex: the baseline.' }),
  ),
  changesetIndex: Type.Optional(Type.Integer({ minimum: 0, description: 'The changeset to name by index (0: the baseline); must agree with changesetId.' })),
});

export const NamedVersionUpdate = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255, description: 'Not blank.' })),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  state: Type.Optional(Type.String({ enum: ['visible', 'hidden'] })),
});

export const NamedVersionParams = Type.Object({ iModelId: Type.String(), namedVersionId: Type.String() });

// Checkpoints

export const CheckpointResponse = Type.Object({
  checkpoint: Type.Object({
    changesetId: Type.String({ description: "'' for the baseline." }),
    changesetIndex: Type.Integer(),
    size: Type.Integer({ description: 'Bytes; 0 when not generated.' }),
    state: Type.String({ description: '`successful`, or `notGenerated` / `failed` for a baseline that could not be written.' }),
    dbName: Type.String(),
    directoryAccessInfo: Type.Null(),
    _links: Type.Object({
      download: Nullable(Type.Object({ href: Type.String({ description: 'A signed, expiring URL on this server; no Authorization.' }) })),
    }),
  }),
});

export const CheckpointFileParams = Type.Object({ iModelId: Type.String(), changesetIndex: Type.String() });
export const CheckpointFileQuery = Type.Object({ expires: Type.Optional(Type.String()), signature: Type.Optional(Type.String()) });

// Users

export const MinimalUser = Type.Object({ id: Type.String(), displayName: Type.String(), _links: Type.Object({ self: Link }) });
export const User = Type.Object({
  ...MinimalUser.properties,
  givenName: Type.String(),
  surname: Type.String(),
  email: Type.String(),
  statistics: Type.Object({
    pushedChangesetsCount: Type.Integer(),
    lastChangesetPushDate: Nullable(Type.String()),
    createdVersionsCount: Type.Integer(),
    briefcasesCount: Type.Integer(),
    applications: Type.Array(Type.Object({})),
  }),
});
export const UserResponse = Type.Object({ user: User });
export const UserList = Type.Object({ users: Type.Array(Type.Union([User, MinimalUser])), _links: CollectionLinks });
export const UserParams = Type.Object({ iModelId: Type.String(), userId: Type.String() });
