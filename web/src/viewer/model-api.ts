import { ApiError, accessToken, all, apiUrl, get } from '../api/client';

/** The model of a version, as the service exports it (docs/model-view.md). */
export interface ModelElement {
  id: string;
  className: string;
  label: string | null;
  code: string | null;
  globalId: string | null;
  category: { id: string; name: string };
  model: { id: string; name: string };
  parentId: string | null;
}
export interface ModelProperty {
  group: string;
  name: string;
  label: string;
  value: unknown;
  unit?: string;
}
export interface ElementDetails extends ModelElement {
  classLabel: string | null;
  properties: ModelProperty[];
}
export interface ModelCategory {
  id: string;
  name: string;
  label: string | null;
  elementCount: number;
  spaces: boolean;
}
export interface ModelChanges {
  inserted: string[];
  updated: { id: string; what: string[]; properties: string[] }[];
  deleted: string[];
  unrecordedChangesets?: number[];
}

/** A changeset and whether its model can be shown (docs/model-view.md, `model-versions`). */
export interface ModelVersion {
  changesetIndex: number;
  changesetId: string;
  description: string;
  pushDateTime: string;
  model: 'available' | 'noCheckpoint' | 'pruned';
  namedVersion: { id: string; displayName: string } | null;
}

const versions = (iModelId: string) => `/twinsync/imodels/${encodeURIComponent(iModelId)}/model-versions`;
const base = (iModelId: string, index: number) => `/twinsync/imodels/${encodeURIComponent(iModelId)}/changesets/${index}`;

export const modelApi = {
  /** Every version, newest first, each saying whether it has a model. */
  versions: (iModelId: string) => all<ModelVersion>(`${versions(iModelId)}?$orderBy=index%20desc`, 'versions'),
  /** The newest version with a model, in one request (undefined when none has one). */
  latestWithModel: (iModelId: string) =>
    get<{ versions: ModelVersion[] }>(`${versions(iModelId)}?model=available&$orderBy=index%20desc&$top=1`).then((a) => a.versions[0]),
  elements: (iModelId: string, index: number) => get<{ elements: ModelElement[] }>(`${base(iModelId, index)}/elements`).then((a) => a.elements),
  element: (iModelId: string, index: number, id: string) =>
    get<{ element: ElementDetails }>(`${base(iModelId, index)}/elements/${encodeURIComponent(id)}`).then((a) => a.element),
  categories: (iModelId: string, index: number) => get<{ categories: ModelCategory[] }>(`${base(iModelId, index)}/categories`).then((a) => a.categories),
  changes: (iModelId: string, index: number) => get<{ changes: ModelChanges }>(`${base(iModelId, index)}/changes`).then((a) => a.changes),

  /**
   * The graphics as bytes. Fetched here rather than by three.js's loader, because the loader cannot
   * send the bearer token; the bytes are then parsed in memory.
   */
  async graphics(iModelId: string, index: number, signal?: AbortSignal): Promise<ArrayBuffer> {
    const response = await fetch(await apiUrl(`${base(iModelId, index)}/graphics.glb`), {
      headers: { authorization: `Bearer ${await accessToken()}` },
      signal,
    });
    if (response.ok) return response.arrayBuffer();
    const body = await response.json().catch(() => undefined);
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `HTTP${response.status}`, error?.message ?? `The service answered ${response.status}.`);
  },
};
