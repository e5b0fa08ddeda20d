/**
 * The classes of repository a client may register, with the subclasses each allows, as the iTwins
 * API lists them. `MapServer` is an older GIS subclass the iTwin CLI still offers.
 */
export const REGISTERED_CLASSES = {
  GeographicInformationSystem: ['WebMapService', 'WebMapTileService', 'WebFeatureService', 'ArcGIS', 'UrlTemplate', 'OgcApiFeatures', 'MapServer'],
  Construction: ['Performance'],
  Subsurface: ['EvoWorkspace'],
} as const;
export type RegisteredClass = keyof typeof REGISTERED_CLASSES;

/** Classes the platform generates from what an iTwin holds (not registered, not deletable). */
export const GENERATED_CLASSES = ['iModels', 'Storage'] as const;

export const REPOSITORY_CLASSES: readonly string[] = [...Object.keys(REGISTERED_CLASSES), ...GENERATED_CLASSES];
export const REPOSITORY_SUBCLASSES: readonly string[] = Object.values(REGISTERED_CLASSES).flat();

/** A repository of an iTwin: registered by a client, or generated (`id` is then the class, lower case). */
export interface ITwinDataRepository {
  id: string;
  iTwinId: string;
  class: string;
  subClass: string | null;
  displayName: string | null;
  uri: string;
  /** Documented objects stored and echoed as given. */
  authentication: Record<string, unknown> | null;
  options: Record<string, unknown> | null;
  createdAt: string;
  createdBy: string;
}
