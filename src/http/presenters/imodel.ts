import type { IModel } from '../../domain/imodels/model.js';
import { memberUrl } from './member.js';

export function imodelUrl(publicUrl: string, id: string): string {
  return `${publicUrl}/imodels/${id}`;
}

/**
 * The documented iModel shape. `displayName` is the name (the iModels API has both). The
 * changeset and named-version links keep the documented shape; twinsync does not serve them yet.
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
    _links: {
      creator: { href: memberUrl(publicUrl, m.iTwinId, m.createdBy) },
      changesets: { href: `${imodelUrl(publicUrl, m.id)}/changesets` },
      namedVersions: { href: `${imodelUrl(publicUrl, m.id)}/namedversions` },
    },
  };
}
