import type { Repositories } from '../store.js';

/**
 * Of `ids`, those that cannot become source files for `subject`: unknown, in an iTwin they are no
 * member of, never completed, or (when `itwinId` is known) in another iTwin than the iModel's.
 * The API calls all of these "not valid".
 */
export async function unusableFileIds(
  repos: Pick<Repositories, 'connections'>,
  subject: string,
  itwinId: string | undefined,
  ids: readonly string[],
): Promise<string[]> {
  const { files } = await repos.connections.findCreateTargets({ subject, iModelId: undefined, storageFileIds: ids });
  return unusableOf(ids, files, itwinId);
}

/** Of `ids`, those not among `usable` or (when `itwinId` is known) usable only in another iTwin. */
export function unusableOf(ids: readonly string[], usable: readonly { id: string; iTwinId: string }[], itwinId: string | undefined): string[] {
  const ok = new Set(usable.filter((f) => itwinId === undefined || f.iTwinId === itwinId).map((f) => f.id));
  return ids.filter((id) => !ok.has(id));
}
