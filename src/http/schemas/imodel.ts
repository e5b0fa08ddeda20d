import { Type } from 'typebox';
import { Link } from './common.js';
import { CollectionLinks, ContinuedPagingQuery } from './source-file.js';

const Point = Type.Object({ latitude: Type.Number({ minimum: -90, maximum: 90 }), longitude: Type.Number({ minimum: -180, maximum: 180 }) });
const Extent = Type.Object({ southWest: Point, northEast: Point });

/** Enforced by domain/imodels/imodel-body.ts; test/integration/body-contract.test.ts keeps the two alike. */
export const IModelCreate = Type.Object({
  iTwinId: Type.String({ format: 'uuid', description: 'iTwin id; the caller must be a member.' }),
  name: Type.String({ maxLength: 255, description: 'Unique within the iTwin; not blank.' }),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  extent: Type.Optional(Extent),
});

export const IModel = Type.Object({
  id: Type.String({ description: 'iModel id (UUID).' }),
  displayName: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  state: Type.String({ description: '`initialized`: created empty, ready for synchronization.' }),
  createdDateTime: Type.String(),
  iTwinId: Type.String(),
  extent: Type.Union([Extent, Type.Null()]),
  dataCenterLocation: Type.String({ description: "Its iTwin's dataCenterLocation (docs/decisions.md)." }),
  _links: Type.Object({ creator: Link, changesets: Link, namedVersions: Link }),
});

export const IModelResponse = Type.Object({ iModel: IModel });

export const IModelList = Type.Object({
  iModels: Type.Array(Type.Object({ ...Type.Partial(IModel).properties, id: Type.String(), displayName: Type.String() })),
  _links: CollectionLinks,
});

/** Enforced by domain/imodels/imodel-body.ts (parseIModelChange); absent properties stay as they are. */
export const IModelUpdate = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255, description: 'Unique within the iTwin; not blank.' })),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  extent: Type.Optional(Extent),
});

export const IModelParams = Type.Object({ iModelId: Type.String() });

export const IModelListQuery = Type.Object({
  ...ContinuedPagingQuery.properties,
  iTwinId: Type.Optional(Type.String({ description: 'Required: the iTwin whose iModels to list.' })),
  name: Type.Optional(Type.String({ description: 'Only the iModel of this exact name.' })),
});
