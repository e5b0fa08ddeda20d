import type { SqlStore as Store } from '../../store/store.js';
import { addMember, findITwin, insertITwin, isMember } from '../../store/repositories/itwins.js';
import { insertFolder } from '../../store/repositories/storage.js';
import type { ITwinRow } from '../../store/schema.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid, newOpaqueId } from '../ids.js';
import { DEFAULT_DATA_CENTER, type ExtraField } from './model.js';

export interface NewITwin {
  displayName: string;
  /** Defaults: Endeavor / Project (only callers inside twinsync omit them; the API requires both). */
  class?: string;
  subClass?: string;
  status?: string;
  type?: string;
  number?: string;
  parentId?: string;
  extra?: Partial<Record<ExtraField, string>>;
}

/**
 * Creates an iTwin with its storage root folder; the creator becomes its first member. A parent
 * iTwin must be one the creator is a member of (otherwise `parentId` is "not valid").
 */
export async function createITwin(store: Store, subject: string, input: NewITwin): Promise<ITwinRow> {
  const createdAt = nowIso();
  const extra: Record<string, string> = { dataCenterLocation: DEFAULT_DATA_CENTER, ...input.extra };
  if (input.parentId) extra.parentId = input.parentId;
  const row: ITwinRow = {
    id: newGuid(),
    display_name: input.displayName,
    class: input.class ?? 'Endeavor',
    sub_class: input.subClass ?? 'Project',
    type: input.type ?? null,
    number: input.number ?? null,
    status: input.status ?? 'Active',
    extra: JSON.stringify(extra),
    // Storage ids have the shape of Bentley's (43-char base64url), folders as files.
    root_folder_id: newOpaqueId(),
    created_at: createdAt,
    created_by: subject,
  };
  await store.writeSql(async (trx) => {
    if (input.parentId) {
      const parent = await findITwin(trx, input.parentId);
      if (!parent || !(await isMember(trx, parent.id, subject))) {
        throw errors.invalidITwinRequest([{ code: 'InvalidValue', message: 'Provided parentId value is not valid.', target: 'parentId' }]);
      }
    }
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
