import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { fileForMember } from './access.js';
import { presentable } from './get-file.js';
import { parseItemChanges } from './item-body.js';
import type { StorageItem } from './model.js';

/** Renames a file or changes its description; an empty body changes nothing. */
export async function updateFile(store: Store, caller: Caller, id: string, body: unknown): Promise<StorageItem> {
  const file = await fileForMember(store, caller, id, 'storage_write');
  const changes = parseItemChanges(body, true);
  if (changes.displayName === undefined && changes.description === undefined) return presentable(store, file);
  const updated = await store.write(async (tx) => {
    if (!(await tx.storage.findFile(file.id))) throw errors.fileNotFound();
    await requireMember(tx, caller, file.iTwinId, 'storage_write');
    await tx.storage.updateFile(file.id, {
      displayName: changes.displayName,
      description: changes.description,
      modifiedAt: nowIso(),
      modifiedBy: caller.subject,
    });
    return (await tx.storage.findFile(file.id))!;
  });
  return presentable(store, updated);
}
