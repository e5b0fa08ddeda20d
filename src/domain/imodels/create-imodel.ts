import type { SqlStore as Store } from '../../store/store.js';
import { iModelNameTaken, insertIModel } from '../../store/repositories/imodels.js';
import { isMember, lockITwin } from '../../store/repositories/itwins.js';
import type { IModelRow } from '../../store/schema.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { newGuid } from '../ids.js';
import type { Extent } from './model.js';

export interface NewIModel {
  iTwinId: string;
  name: string;
  description?: string;
  extent?: Extent;
}

/**
 * Creates an empty iModel (state `initialized`) in an iTwin the creator is a member of. Names are
 * unique per iTwin (409 `iModelExists`, enforced by a unique index under concurrency).
 */
export async function createIModel(store: Store, subject: string, input: NewIModel): Promise<IModelRow> {
  const row: IModelRow = {
    id: newGuid(),
    itwin_id: input.iTwinId,
    name: input.name,
    description: input.description ?? null,
    state: 'initialized',
    extent: input.extent ? JSON.stringify(input.extent) : null,
    created_at: nowIso(),
    created_by: subject,
  };
  await store.writeSql(async (trx) => {
    // Locking the iTwin row orders this insert against a concurrent delete of the iTwin, which
    // would otherwise cascade over an iModel it never saw.
    if (!(await lockITwin(trx, input.iTwinId))) throw errors.iTwinNotFound();
    if (!(await isMember(trx, input.iTwinId, subject))) throw errors.insufficientPermissions();
    if (await iModelNameTaken(trx, input.iTwinId, input.name)) throw errors.iModelExists();
    try {
      await insertIModel(trx, row);
    } catch (error) {
      if (store.dialect.isUniqueViolation(error)) throw errors.iModelExists();
      throw error;
    }
  });
  return row;
}
