import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Repositories, Store } from '../store.js';
import { type GroupUpdate, parseGroupUpdate } from './bodies.js';
import type { Group } from './model.js';
import { groupViews, type GroupView } from './views.js';

/**
 * Changes a group's name, description, users (given by address, replacing its users) or IMS groups.
 * Every address must be one a user has authenticated with (422 otherwise, and nothing changes):
 * a group is not an invitation. The permissions of users joining or leaving change at once.
 *
 * As the platform documents: `administration_manage_groups`, and besides it
 * `administration_invite_member` when users or IMS groups join, `administration_remove_member` when
 * some leave (owners have every permission).
 */
export async function updateGroup(store: Store, caller: Caller, iTwinId: string, groupId: string, body: unknown): Promise<GroupView> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_manage_groups');
  const update = parseGroupUpdate(body);
  const group = await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_manage_groups');
    const group = await tx.groups.find(itwin.id, groupId);
    if (!group) throw errors.groupNotFound();
    const subjects = update.members && (await subjectsOf(tx, update.members));
    const current = subjects && ((await tx.groups.usersOf([group.id])).get(group.id) ?? []);
    const change = { joining: false, leaving: false };
    if (subjects && current) note(change, current, subjects);
    if (update.imsGroups) note(change, group.imsGroups, update.imsGroups);
    if (change.joining) await requireMember(tx, caller, itwin.id, 'administration_invite_member');
    if (change.leaving) await requireMember(tx, caller, itwin.id, 'administration_remove_member');
    const changed: Group = {
      ...group,
      name: update.name ?? group.name,
      description: update.description ?? group.description,
      imsGroups: update.imsGroups ?? group.imsGroups,
    };
    await tx.groups.update(changed);
    if (subjects) await tx.groups.setUsers(itwin.id, group.id, subjects);
    return changed;
  });
  return (await groupViews(store, [group]))[0]!;
}

/** The subjects known by the addresses, in order; an address nobody is known by is a 422 naming it. */
async function subjectsOf(tx: Pick<Repositories, 'users'>, emails: NonNullable<GroupUpdate['members']>): Promise<string[]> {
  const subjects: string[] = [];
  const details: ErrorDetail[] = [];
  for (const [i, email] of emails.entries()) {
    const subject = (await tx.users.findByEmail(email))[0]?.subject;
    if (subject === undefined) details.push({ code: 'InvalidValue', target: `members[${i}]`, message: `No user is known by '${email}'.` });
    else subjects.push(subject);
  }
  if (details.length > 0) throw errors.invalidGroupRequest(details);
  return subjects;
}

/** Whether replacing `before` by `after` adds entries, removes some, or both. */
function note(change: { joining: boolean; leaving: boolean }, before: readonly string[], after: readonly string[]): void {
  const was = new Set(before);
  const is = new Set(after);
  if (after.some((x) => !was.has(x))) change.joining = true;
  if (before.some((x) => !is.has(x))) change.leaving = true;
}
