import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import type { Store } from '../store.js';
import { itwinForMember, requireMember } from './access.js';
import type { ITwinChange } from './itwin-body.js';
import type { ITwin } from './model.js';

/**
 * Applies a partial update to an iTwin the caller is a member of. Read and written under the
 * iTwin's lock, so two updates of different properties at once both land (neither writes back
 * what it read before the other committed).
 */
export async function updateITwin(store: Store, caller: Caller, id: string, change: ITwinChange): Promise<ITwin> {
  const itwin = await itwinForMember(store, caller, id, 'itwins_modify');
  return store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    const current = await tx.itwins.find(itwin.id);
    if (!current) throw errors.iTwinNotFound();
    await requireMember(tx, caller, current.id, 'itwins_modify');
    const extra = { ...current.extra };
    for (const [name, value] of Object.entries(change.extra ?? {})) {
      if (value === null) delete extra[name as keyof typeof extra];
      else extra[name as keyof typeof extra] = value;
    }
    const updated: ITwin = {
      ...current,
      displayName: change.displayName ?? current.displayName,
      type: change.type !== undefined ? change.type : current.type,
      number: change.number ?? current.number,
      status: change.status ?? current.status,
      extra,
    };
    await tx.itwins.update(updated);
    return updated;
  });
}
