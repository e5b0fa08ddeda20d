import { countMembers, findMember, isMember, lockITwin, removeMember as removeRow } from '../../store/repositories/itwins.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { errors } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';

/**
 * Removes a member (a member may also remove themselves). The last member cannot be removed, so an
 * iTwin is never left without anyone who can see or delete it; concurrent removals are ordered by
 * the iTwin row lock, so two of them cannot both remove "one of two".
 */
export async function removeMember(store: Store, caller: Caller, iTwinId: string, memberId: string): Promise<void> {
  const itwin = await itwinForMember(store.db, caller, iTwinId);
  await store.writeSql(async (trx) => {
    if (!(await lockITwin(trx, itwin.id))) throw errors.iTwinNotFound();
    if (!(await isMember(trx, itwin.id, caller.subject))) throw errors.insufficientPermissions();
    if (!(await findMember(trx, itwin.id, memberId))) throw errors.memberNotFound();
    if ((await countMembers(trx, itwin.id)) <= 1) throw errors.lastMember();
    await removeRow(trx, itwin.id, memberId);
  });
}
