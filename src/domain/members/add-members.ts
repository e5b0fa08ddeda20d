import { addMember, isMember, lockITwin } from '../../store/repositories/itwins.js';
import type { SqlStore as Store } from '../../store/store.js';
import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import { parseNewMembers } from './members-body.js';
import type { Member } from './model.js';

/**
 * Adds users to an iTwin; only its members may. All or nothing: if one of them already is a member
 * the request is a 409 naming them and nobody is added.
 */
export async function addMembers(store: Store, caller: Caller, iTwinId: string, body: unknown): Promise<Member[]> {
  const itwin = await itwinForMember(store.db, caller, iTwinId);
  const userIds = parseNewMembers(body);
  const createdAt = nowIso();
  await store.writeSql(async (trx) => {
    if (!(await lockITwin(trx, itwin.id))) throw errors.iTwinNotFound();
    if (!(await isMember(trx, itwin.id, caller.subject))) throw errors.insufficientPermissions();
    for (const userId of userIds) {
      if (await isMember(trx, itwin.id, userId)) throw errors.memberAlreadyExists(userId, itwin.id);
    }
    for (const userId of userIds) {
      try {
        await addMember(trx, itwin.id, userId, createdAt);
      } catch (error) {
        if (store.dialect.isUniqueViolation(error)) throw errors.memberAlreadyExists(userId, itwin.id);
        throw error;
      }
    }
  });
  return userIds.map((userId) => ({ iTwinId: itwin.id, userId, createdAt }));
}
