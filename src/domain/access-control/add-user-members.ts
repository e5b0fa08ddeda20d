import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { itwinForMember, requireMember } from '../itwins/access.js';
import type { Member } from '../members/model.js';
import type { Invitation } from '../roles/model.js';
import type { Repositories, Store } from '../store.js';
import { parseNewUserMembers } from './bodies.js';
import { invite, subjectOf } from './invite.js';
import type { InvitationView, UserMemberView } from './model.js';
import { invitationViews, userMemberViews } from './views.js';

/**
 * Adds users by e-mail address with roles. An address a user has authenticated with makes that user
 * a member at once (one already a member gains the roles); any other address is invited, and the
 * invitation becomes a membership when a user first authenticates with it. All or nothing.
 */
export async function addUserMembers(
  store: Store,
  caller: Caller,
  iTwinId: string,
  body: unknown,
): Promise<{ members: UserMemberView[]; invitations: InvitationView[] }> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'administration_invite_member');
  const wanted = parseNewUserMembers(body);
  const { subjects, invitations } = await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireMember(tx, caller, itwin.id, 'administration_invite_member');
    await requireRoles(
      tx,
      itwin.id,
      wanted.flatMap((w) => w.roleIds),
    );
    const subjects: string[] = [];
    const invitations: Invitation[] = [];
    for (const { email, roleIds } of wanted) {
      // A time per address (strictly increasing): lists by creation show them in the order asked.
      const now = nowIso();
      const subject = await subjectOf(tx, email);
      if (subject === undefined) {
        invitations.push(await invite(tx, caller, itwin.id, email, { roleIds, owner: false }, now));
        continue;
      }
      const held = (await tx.itwins.rolesOfMembers(itwin.id, [subject])).get(subject)?.map((r) => r.id) ?? [];
      if (!(await tx.itwins.isMember(itwin.id, subject))) {
        await tx.itwins.addMember({ iTwinId: itwin.id, userId: subject, createdAt: now, owner: false });
      }
      await tx.itwins.setMemberRoles(itwin.id, subject, [...new Set([...held, ...roleIds])]);
      if (!subjects.includes(subject)) subjects.push(subject);
    }
    return { subjects, invitations };
  });
  const members = (await Promise.all(subjects.map((s) => store.itwins.findMember(itwin.id, s)))).filter((m): m is Member => m !== undefined);
  return { members: await userMemberViews(store, itwin.id, members), invitations: await invitationViews(store, itwin.id, invitations) };
}

/** 404 RoleNotFound unless every one of these is a role of the iTwin. */
export async function requireRoles(tx: Pick<Repositories, 'itwins'>, itwinId: string, roleIds: readonly string[]): Promise<void> {
  for (const id of new Set(roleIds)) if (!(await tx.itwins.findRole(itwinId, id))) throw errors.roleNotFound();
}
