import type { Store } from '../../store/store.js';
import { insertIModel } from '../../store/repositories/imodels.js';
import type { IModelRow } from '../../store/schema.js';
import { nowIso } from '../clock.js';
import { newGuid } from '../ids.js';

export interface NewIModel {
  iTwinId: string;
  name: string;
  description?: string;
}

export async function createIModel(store: Store, subject: string, input: NewIModel): Promise<IModelRow> {
  const row: IModelRow = {
    id: newGuid(),
    itwin_id: input.iTwinId,
    name: input.name,
    description: input.description ?? null,
    state: 'initialized',
    extent: null,
    created_at: nowIso(),
    created_by: subject,
  };
  await store.write((trx) => insertIModel(trx, row));
  return row;
}
