import { Type } from 'typebox';
import { ITWIN_CLASSES, ITWIN_STATUSES, ITWIN_SUBCLASSES } from '../../domain/itwins/model.js';
import { REGISTERED_CLASSES, REPOSITORY_SUBCLASSES } from '../../domain/itwins/repositories/model.js';
import { CollectionLinks, PagingQuery } from './source-file.js';

const Nullable = (description?: string) => Type.Union([Type.String(), Type.Null()], description ? { description } : {});

/** Enforced by domain/itwins/itwin-body.ts; test/integration/body-contract.test.ts keeps the two alike. */
export const ITwinCreate = Type.Object({
  displayName: Type.String({ maxLength: 255 }),
  class: Type.String({ enum: Object.keys(ITWIN_CLASSES), description: 'Matched in any case.' }),
  subClass: Type.String({ enum: [...ITWIN_SUBCLASSES], description: 'Matched in any case; must be allowed for the class.' }),
  type: Type.Optional(Type.String({ maxLength: 255 })),
  number: Type.Optional(Type.String({ maxLength: 255, description: 'Defaults to the id.' })),
  status: Type.Optional(Type.String({ enum: [...ITWIN_STATUSES], default: 'Active', description: 'Matched in any case.' })),
  parentId: Type.Optional(Type.String({ format: 'uuid', description: 'An iTwin the caller is a member of.' })),
  geographicLocation: Type.Optional(Type.String({ maxLength: 255 })),
  ianaTimeZone: Type.Optional(Type.String({ maxLength: 255 })),
  dataCenterLocation: Type.Optional(Type.String({ maxLength: 255, default: 'East US' })),
  iTwinAccountId: Type.Optional(Type.String({ maxLength: 255 })),
  imageName: Type.Optional(Type.String({ maxLength: 255 })),
  image: Type.Optional(Type.String({ maxLength: 2048 })),
});

/** Enforced by domain/itwins/itwin-body.ts (parseITwinChange); every property optional. */
export const ITwinUpdate = Type.Object({
  displayName: Type.Optional(Type.String({ maxLength: 255, description: 'Not blank.' })),
  type: Type.Optional(Nullable('null clears it.')),
  number: Type.Optional(Type.String({ maxLength: 255, description: 'Not blank.' })),
  status: Type.Optional(Type.String({ enum: [...ITWIN_STATUSES], description: 'Matched in any case.' })),
  geographicLocation: Type.Optional(Nullable('null clears it.')),
  ianaTimeZone: Type.Optional(Nullable('null clears it.')),
});

/** Minimal list items; `Prefer: return=representation` and single GETs give every property. */
const minimal = {
  id: Type.String({ description: 'iTwin id (UUID).' }),
  class: Type.String(),
  subClass: Type.String(),
  type: Nullable(),
  number: Type.String(),
  displayName: Type.String(),
};

export const ITwin = Type.Object({
  ...minimal,
  geographicLocation: Nullable(),
  ianaTimeZone: Nullable(),
  dataCenterLocation: Nullable(),
  status: Type.String(),
  parentId: Nullable(),
  iTwinAccountId: Nullable(),
  imageName: Nullable(),
  image: Nullable(),
  createdDateTime: Type.String(),
  createdBy: Type.String({ description: 'The sub of the creator.' }),
});

export const ITwinResponse = Type.Object({ iTwin: ITwin });

export const ITwinList = Type.Object({
  iTwins: Type.Array(Type.Object({ ...Type.Partial(ITwin).properties, ...minimal })),
  _links: CollectionLinks,
});

export const ITwinParams = Type.Object({ iTwinId: Type.String() });

export const ITwinListQuery = Type.Object({
  ...PagingQuery.properties,
  subClass: Type.Optional(Type.String({ description: 'Only iTwins of this subclass.' })),
  includeInactive: Type.Optional(Type.String({ description: 'true to list Inactive iTwins too (default false).' })),
});

// Repositories

const Details = Type.Record(Type.String(), Type.Unknown());

/** Enforced by domain/itwins/repositories/repository-body.ts; test/integration/body-contract.test.ts keeps the two alike. */
export const RepositoryCreate = Type.Object({
  class: Type.String({ enum: Object.keys(REGISTERED_CLASSES), description: 'Matched in any case.' }),
  subClass: Type.Optional(Type.String({ enum: [...REPOSITORY_SUBCLASSES], description: 'One the class allows; required for GeographicInformationSystem.' })),
  displayName: Type.Optional(Type.String({ maxLength: 255 })),
  uri: Type.String({ maxLength: 2048, description: 'An absolute http or https URL (URI templates allowed).' }),
  authentication: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Kept and echoed as given.' })),
  options: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Kept and echoed as given.' })),
});

export const Repository = Type.Object({
  id: Type.String({ description: 'A GUID; for generated repositories, the class in lower case.' }),
  class: Type.String(),
  subClass: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  uri: Type.String(),
  authentication: Type.Optional(Details),
  options: Type.Optional(Details),
});

export const RepositoryResponse = Type.Object({ repository: Repository });
export const RepositoryList = Type.Object({ repositories: Type.Array(Repository) });
export const RepositoryParams = Type.Object({ iTwinId: Type.String(), repositoryId: Type.String() });
export const RepositoryListQuery = Type.Object({
  class: Type.Optional(Type.String({ description: 'Only repositories of this class (any case).' })),
  subClass: Type.Optional(Type.String({ description: 'Only repositories of this subclass; needs class.' })),
});
