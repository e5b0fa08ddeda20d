import { findFile, updateFile as updateRow } from '../../store/repositories/storage.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { requireMember } from '../itwins/access.js';
import { fileForMember } from './access.js';
import { presentable } from './get-file.js';
import { parseItemChanges } from './item-body.js';
import type { StorageItem } from './model.js';

/** Renames a file or changes its description; an empty body changes nothing. */
export async function updateFile(store: Store, caller: Caller, id: string, body: unknown): Promise<StorageItem> {
  const file = await fileForMember(store.db, caller, id);
  const changes = parseItemChanges(body, true);
  if (changes.displayName === undefined && changes.description === undefined) return presentable(store, file);
  const updated = await store.writeSql(async (trx) => {
    if (!(await findFile(trx, file.id))) throw errors.fileNotFound();
    await requireMember(trx, caller, file.itwin_id);
    await updateRow(trx, file.id, {
      display_name: changes.displayName,
      description: changes.description,
      modified_at: nowIso(),
      modified_by: caller.subject,
    });
    return (await findFile(trx, file.id))!;
  });
  return presentable(store, updated);
}
