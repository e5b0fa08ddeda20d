import type { Store } from '../../store/store.js';
import { addMember, insertITwin } from '../../store/repositories/itwins.js';
import { insertFolder } from '../../store/repositories/storage.js';
import type { ITwinRow } from '../../store/schema.js';
import { nowIso } from '../clock.js';
import { newGuid } from '../ids.js';

export interface NewITwin {
  displayName: string;
  class?: string;
  subClass?: string;
}

/** Creates an iTwin with its storage root folder; the creator becomes its first member. */
export async function createITwin(store: Store, subject: string, input: NewITwin): Promise<ITwinRow> {
  const createdAt = nowIso();
  const row: ITwinRow = {
    id: newGuid(),
    display_name: input.displayName,
    class: input.class ?? 'Endeavor',
    sub_class: input.subClass ?? 'Project',
    type: null,
    number: null,
    status: 'Active',
    extra: null,
    root_folder_id: newGuid(),
    created_at: createdAt,
    created_by: subject,
  };
  await store.write(async (trx) => {
    await insertITwin(trx, row);
    await insertFolder(trx, {
      id: row.root_folder_id,
      itwin_id: row.id,
      parent_id: null,
      display_name: 'Root',
      description: null,
      created_at: createdAt,
      created_by: subject,
    });
    await addMember(trx, row.id, subject, createdAt);
  });
  return row;
}

export async function addITwinMember(store: Store, itwinId: string, subject: string): Promise<void> {
  await store.write((trx) => addMember(trx, itwinId, subject, nowIso()));
}
