import { Type } from 'typebox';
import { CollectionLinks, ContinuedPagingQuery } from './source-file.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ModelVersionParams = Type.Object({
  iModelId: Type.String(),
  changeset: Type.String({ description: 'Changeset index (from 1) or id (40 hexadecimal digits); for a named version, its changesetIndex.' }),
});

export const ModelElementParams = Type.Object({
  ...ModelVersionParams.properties,
  elementId: Type.String({ description: 'The element id, as the glTF node’s `extras.elementId` and the elements list give it (`0x…`).' }),
});

export const ModelChangesQuery = Type.Object({
  since: Type.Optional(Type.String({ description: 'The earlier changeset index to compare with (0: the empty baseline). Default: the previous changeset.' })),
});

const Ref = Type.Object({ id: Type.String(), name: Type.String() });

const ModelElementFields = {
  id: Type.String({ description: 'Id64 (`0x…`): the `extras.elementId` (and name) of its glTF node.' }),
  className: Type.String({ description: 'Its EC class, `Schema:Class` (`TwinsyncIfcDynamic:IfcWall`).' }),
  label: Nullable(Type.String({ description: 'User label (the IFC Name).' })),
  code: Nullable(Type.String()),
  globalId: Nullable(Type.String({ description: 'IFC GlobalId: its GlobalId property, or its provenance identifier when that is one.' })),
  federationGuid: Nullable(Type.String()),
  externalId: Nullable(Type.String({ description: 'Its identifier in its source (ExternalSourceAspect): a GlobalId, or `path:…`.' })),
  category: Ref,
  model: Type.Object({ id: Type.String(), name: Type.String({ description: 'The source file’s name where provenance gives it.' }) }),
  parentId: Nullable(Type.String()),
};

export const ModelElementsResponse = Type.Object({
  offset: Type.Array(Type.Number(), {
    minItems: 3,
    maxItems: 3,
    description: 'What was subtracted from the iModel’s coordinates (x, y, z; metres, Z up) before turning them Y up (docs/model-view.md).',
  }),
  elements: Type.Array(Type.Object(ModelElementFields), { description: 'Every element of the graphics, by id.' }),
});

export const ModelCategoriesResponse = Type.Object({
  categories: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String({ description: 'Its code (the IFC connector names categories after IFC classes).' }),
      label: Nullable(Type.String()),
      elementCount: Type.Integer({ description: 'Elements of the graphics in it.' }),
      spaces: Type.Boolean({ description: 'True for the category of spaces (rooms), which a viewer hides by default.' }),
    }),
  ),
});

const ElementProperty = Type.Object({
  group: Type.String({ description: 'The property category (an IFC property set) or else the defining class’s label.' }),
  name: Type.String({ description: 'The EC property name.' }),
  label: Type.String({ description: 'Its display label (the IFC property’s name).' }),
  value: Type.Unknown({ description: 'Text, number, boolean, an array or an object; a navigation property as its target’s name.' }),
  unit: Type.Optional(Type.String({ description: 'The unit of a measured value (SI).' })),
  elementId: Type.Optional(Type.String({ description: 'A navigation property’s target element.' })),
});

const PropertyHolder = Type.Object({
  id: Type.String(),
  className: Type.String(),
  label: Nullable(Type.String()),
  properties: Type.Array(ElementProperty),
});

export const ModelElementResponse = Type.Object({
  element: Type.Object({
    ...ModelElementFields,
    classLabel: Nullable(Type.String()),
    properties: Type.Array(ElementProperty, { description: 'The properties of its classes outside BisCore (IFC attributes, property and quantity sets).' }),
    aspects: Type.Array(PropertyHolder, { description: 'Its aspects outside BisCore (IFC materials, classifications).' }),
    type: Nullable(PropertyHolder),
  }),
});

export const ModelChangesResponse = Type.Object({
  changes: Type.Object({
    changesetIndex: Type.Integer(),
    sinceChangesetIndex: Type.Integer(),
    unrecordedChangesets: Type.Array(Type.Integer(), {
      description: 'Changesets of the range that recorded no element changes (emulated and command connectors): what they changed is unknown.',
    }),
    inserted: Type.Array(Type.String()),
    updated: Type.Array(
      Type.Object({
        id: Type.String(),
        what: Type.Array(Type.Union([Type.Literal('property'), Type.Literal('geometry'), Type.Literal('placement'), Type.Literal('related')])),
        properties: Type.Array(Type.String({ description: 'Names of the properties whose values changed.' })),
      }),
    ),
    deleted: Type.Array(Type.String({ description: 'Elements of the earlier version that are gone.' })),
  }),
});

export const ModelVersionListQuery = Type.Object({
  ...ContinuedPagingQuery.properties,
  afterIndex: Type.Optional(Type.String({ description: 'Only changesets with a greater index.' })),
  lastIndex: Type.Optional(Type.String({ description: 'Only changesets up to this index.' })),
  $orderBy: Type.Optional(Type.String({ description: '`index`, `index asc` (default) or `index desc`.' })),
  model: Type.Optional(Type.String({ description: '`available`: only the versions whose model can be shown.' })),
});

export const ModelVersionList = Type.Object({
  versions: Type.Array(
    Type.Object({
      changesetIndex: Type.Integer(),
      changesetId: Type.String(),
      description: Type.String(),
      pushDateTime: Type.String(),
      model: Type.Union([Type.Literal('available'), Type.Literal('noCheckpoint'), Type.Literal('pruned')], {
        description:
          '`available`: its own checkpoint exists, so the model-view operations answer (exporting it on first request); `noCheckpoint`: its ' +
          'connector wrote no iModel file; `pruned`: its checkpoint was removed. Those two answer 409 CheckpointNotAvailable.',
      }),
      namedVersion: Nullable(Type.Object({ id: Type.String(), displayName: Type.String() })),
    }),
  ),
  _links: CollectionLinks,
});
