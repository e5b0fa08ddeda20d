import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { requireRoles } from '../access-control/add-user-members.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { parseNewGroupMembers } from './bodies.js';
import type { GroupMember } from './model.js';

/**
 * Makes groups members holding roles; a group already a member gains the roles besides its own.
 * Unknown groups are 404 GroupNotFound, unknown roles 404 RoleNotFound, and then nothing changes.
 */
export async function addGroupMembers(store: Store, caller: Caller, iTwinId: string, body: unknown): Promise<GroupMember[]> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_invite_member');
  const wanted = parseNewGroupMembers(body);
  await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_invite_member');
    for (const { groupId } of wanted) if (!(await tx.groups.find(itwin.id, groupId))) throw errors.groupNotFound();
    await requireRoles(
      tx,
      itwin.id,
      wanted.flatMap((w) => w.roleIds),
    );
    for (const { groupId, roleIds } of wanted) {
      const held = (await tx.groups.findMember(itwin.id, groupId))?.roles.map((r) => r.id) ?? [];
      // A time per group (strictly increasing): lists by membership show them in the order asked.
      await tx.groups.setMemberRoles(itwin.id, groupId, [...new Set([...held, ...roleIds])], nowIso());
    }
  });
  const members = await Promise.all(wanted.map((w) => store.groups.findMember(itwin.id, w.groupId)));
  return members.filter((m): m is GroupMember => m !== undefined);
}
