import type { IModelRow } from '../../store/schema.js';

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface Extent {
  southWest: GeoPoint;
  northEast: GeoPoint;
}

export interface IModel {
  id: string;
  iTwinId: string;
  name: string;
  description: string | null;
  state: string;
  extent: Extent | null;
  createdAt: string;
  createdBy: string;
}

export function imodelFromRow(row: IModelRow): IModel {
  return {
    id: row.id,
    iTwinId: row.itwin_id,
    name: row.name,
    description: row.description,
    state: row.state,
    extent: row.extent ? (JSON.parse(row.extent) as Extent) : null,
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
