import type { Kysely } from 'kysely';
import { findUsableFiles } from '../../store/repositories/storage.js';
import type { Database } from '../../store/schema.js';

/**
 * Of `ids`, those that cannot become source files for `subject`: unknown, in an iTwin they are no
 * member of, never completed, or (when `itwinId` is known) in another iTwin than the iModel's.
 * The API calls all of these "not valid".
 */
export async function unusableFileIds(
  db: Kysely<Database>,
  subject: string,
  itwinId: string | undefined,
  ids: readonly string[],
): Promise<string[]> {
  return unusableOf(ids, await findUsableFiles(db, ids, subject), itwinId);
}

/** Of `ids`, those not among `usable` or (when `itwinId` is known) usable only in another iTwin. */
export function unusableOf(ids: readonly string[], usable: readonly { id: string; itwin_id: string }[], itwinId: string | undefined): string[] {
  const ok = new Set(usable.filter((f) => itwinId === undefined || f.itwin_id === itwinId).map((f) => f.id));
  return ids.filter((id) => !ok.has(id));
}
