import type { IModel } from '../../domain/imodels/model.js';
import { DEFAULT_DATA_CENTER } from '../../domain/itwins/model.js';

export function imodelUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/imodels/${id}`;
}

/** Where an iModel is said to be kept when its iTwin's data center is not known: the iTwins API's default. */
export const DATA_CENTER_LOCATION = DEFAULT_DATA_CENTER;

/**
 * The documented iModel shape. `displayName` is the name (the iModels API has both). Every link
 * answers: the creator as a user of the iModel, its changesets and named versions.
 */
export function presentIModel(publicUrl: string, m: IModel) {
  return {
    id: m.id,
    displayName: m.name,
    name: m.name,
    description: m.description,
    state: m.state,
    createdDateTime: m.createdAt,
    iTwinId: m.iTwinId,
    extent: m.extent,
    dataCenterLocation: m.dataCenterLocation ?? DATA_CENTER_LOCATION,
    _links: {
      creator: { href: `${imodelUrl(publicUrl, m.id)}/users/${encodeURIComponent(m.createdBy)}` },
      changesets: { href: `${imodelUrl(publicUrl, m.id)}/changesets` },
      namedVersions: { href: `${imodelUrl(publicUrl, m.id)}/namedversions` },
    },
  };
}
