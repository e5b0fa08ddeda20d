import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { parseGroupUpdate } from './bodies.js';
import { groupViews, type GroupView } from './views.js';

/**
 * Changes a group's name, description, users (given by address, replacing its users) or IMS groups.
 * Every address must be one a user has authenticated with (422 otherwise, and nothing changes):
 * a group is not an invitation. The permissions of users joining or leaving change at once.
 */
export async function updateGroup(store: Store, caller: Caller, iTwinId: string, groupId: string, body: unknown): Promise<GroupView> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_roles');
  const update = parseGroupUpdate(body);
  const group = await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_manage_roles');
    const group = await tx.groups.find(itwin.id, groupId);
    if (!group) throw errors.groupNotFound();
    const changed = {
      ...group,
      name: update.name ?? group.name,
      description: update.description ?? group.description,
      imsGroups: update.imsGroups ?? group.imsGroups,
    };
    await tx.groups.update(changed);
    if (update.members) {
      const subjects: string[] = [];
      const details: ErrorDetail[] = [];
      for (const [i, email] of update.members.entries()) {
        const subject = (await tx.users.findByEmail(email))[0]?.subject;
        if (subject === undefined) details.push({ code: 'InvalidValue', target: `members[${i}]`, message: `No user is known by '${email}'.` });
        else subjects.push(subject);
      }
      if (details.length > 0) throw errors.invalidGroupRequest(details);
      await tx.groups.setUsers(itwin.id, group.id, subjects);
    }
    return changed;
  });
  return (await groupViews(store, [group]))[0]!;
}
