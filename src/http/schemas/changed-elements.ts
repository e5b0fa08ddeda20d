import { Type } from 'typebox';
import { PagingQuery, CollectionLinks } from './source-file.js';

const IModelQuery = {
  iModelId: Type.Optional(Type.String({ description: 'Required: the iModel.' })),
  iTwinId: Type.Optional(Type.String({ description: "The iModel's iTwin; when given, it must be the iModel's." })),
  projectId: Type.Optional(Type.String({ description: '[Deprecated] The iTwin: the former name of iTwinId.' })),
};

/** Enforced by domain/changed-elements/tracking-body.ts; test/integration/body-contract.test.ts keeps the two alike. */
export const TrackingChange = Type.Object({
  enable: Type.Boolean({ description: 'true: track the iModel from its next changeset on; false: stop.' }),
  iModelId: Type.String(),
  iTwinId: Type.Optional(Type.String({ description: "The iModel's iTwin; when given, it must be the iModel's." })),
  projectId: Type.Optional(Type.String({ description: '[Deprecated] The iTwin: the former name of iTwinId.' })),
});

export const TrackingQuery = Type.Object(IModelQuery);

export const TrackingResponse = Type.Object({ enabled: Type.Boolean() });

export const ChangesetStatusQuery = Type.Object({ ...IModelQuery, ...PagingQuery.properties });

export const ChangesetStatusList = Type.Object({
  changesetStatus: Type.Array(
    Type.Object({
      id: Type.String(),
      index: Type.Integer(),
      ready: Type.Boolean({ description: 'Processed: made while change tracking was enabled, so it can be compared.' }),
    }),
  ),
  _links: CollectionLinks,
});

export const ComparisonQuery = Type.Object({
  ...IModelQuery,
  startChangesetId: Type.Optional(Type.String({ description: 'Required: the first changeset of the range (included).' })),
  endChangesetId: Type.Optional(Type.String({ description: 'Required: the last changeset of the range (included); the same as the start for one changeset.' })),
});

const Ids = (description: string) => Type.Array(Type.String(), { description });

export const ComparisonResponse = Type.Object({
  changedElements: Type.Object(
    {
      elements: Ids('Ids of the elements that changed (Id64, hexadecimal).'),
      classIds: Ids("ECClass ids of the elements' classes."),
      opcodes: Type.Array(Type.Integer(), { description: '18 inserted, 23 updated, 9 deleted.' }),
      type: Type.Array(Type.Integer(), {
        description: 'Bit flags of what changed in an updated element: 1 property, 2 geometry, 4 placement, 8 indirect (related data), 16 hidden.',
      }),
      modelIds: Ids("The elements' models."),
      parentIds: Ids("The elements' parents ('0': none)."),
      parentClassIds: Ids("The parents' ECClass ids ('0': none)."),
      properties: Type.Array(Type.Array(Type.String()), { description: 'Names of the properties that changed, per element.' }),
      oldChecksums: Type.Array(Type.Array(Type.Integer()), { description: "Checksums of those properties' values before." }),
      newChecksums: Type.Array(Type.Array(Type.Integer()), { description: "Checksums of those properties' values after." }),
    },
    { description: 'Parallel arrays: index i of each describes the same element.' },
  ),
});
