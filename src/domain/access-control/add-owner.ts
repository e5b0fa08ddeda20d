import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { itwinForMember } from '../itwins/access.js';
import type { Store } from '../store.js';
import { parseOwner } from './bodies.js';
import { invite, subjectOf } from './invite.js';
import type { InvitationView, UserMemberView } from './model.js';
import { requireOwner } from './owners-rule.js';
import { invitationViews, userMemberViews } from './views.js';

/**
 * Makes the user known by this address an owner (a member already, or not yet); an address nobody
 * is known by is invited as owner. 409 when the user already is an owner.
 */
export async function addOwner(
  store: Store,
  caller: Caller,
  iTwinId: string,
  body: unknown,
): Promise<{ member: UserMemberView | null; invitation: InvitationView | null }> {
  const itwin = await itwinForMember(store, caller, iTwinId, 'itwins_read');
  await requireOwner(store, caller, itwin.id);
  const email = parseOwner(body);
  const now = nowIso();
  const added = await store.write(async (tx) => {
    if (!(await tx.itwins.lock(itwin.id))) throw errors.iTwinNotFound();
    await requireOwner(tx, caller, itwin.id);
    const subject = await subjectOf(tx, email);
    if (subject === undefined) return { invitation: await invite(tx, caller, itwin.id, email, { roleIds: [], owner: true }, now) };
    const member = await tx.itwins.findMember(itwin.id, subject);
    if (member?.owner) throw errors.memberAlreadyExists(subject, itwin.id);
    if (member) await tx.itwins.setOwner(itwin.id, subject, true);
    else await tx.itwins.addMember({ iTwinId: itwin.id, userId: subject, createdAt: now, owner: true });
    return { subject };
  });
  if (added.invitation) return { member: null, invitation: (await invitationViews(store, itwin.id, [added.invitation]))[0]! };
  const member = await store.itwins.findMember(itwin.id, added.subject!);
  if (!member) throw errors.memberNotFound();
  return { member: (await userMemberViews(store, itwin.id, [member]))[0]!, invitation: null };
}
