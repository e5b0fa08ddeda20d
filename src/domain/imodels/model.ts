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
  /** Its iTwin's data center (data-center.ts), set where an iModel is shown; never stored with it. */
  dataCenterLocation?: string;
}
