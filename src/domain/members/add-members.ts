import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { parseNewMembers } from './members-body.js';
import type { Member } from './model.js';

/**
 * Adds users to an iTwin; only its members may. All or nothing: if one of them already is a member
 * the request is a 409 naming them and nobody is added.
 */
export async function addMembers(store: Store, caller: Caller, iTwinId: string, body: unknown): Promise<Member[]> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_invite_member');
  const userIds = parseNewMembers(body);
  const createdAt = nowIso();
  // The older API has no roles: what it adds are owners, as every member was before roles existed.
  const members = userIds.map((userId): Member => ({ iTwinId: itwin.id, userId, createdAt, owner: true }));
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_invite_member');
    for (const { userId } of members) {
      if (await tx.itwins.isMember(itwin.id, userId)) throw errors.memberAlreadyExists(userId, itwin.id);
    }
    for (const member of members) {
      if (!(await tx.itwins.addMember(member))) throw errors.memberAlreadyExists(member.userId, itwin.id);
    }
  });
  return members;
}
