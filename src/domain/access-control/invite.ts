import type { Caller } from '../caller.js';
import { newGuid } from '../ids.js';
import type { Invitation } from '../roles/model.js';
import type { Repositories } from '../store.js';
import { INVITATION_DAYS } from './model.js';

/**
 * Invites an address nobody is known by (inside the caller's transaction, under the iTwin's lock).
 * A pending invitation of the same address to the same iTwin is replaced by one with the union of
 * both roles (and owner if either is), so asking twice never makes two.
 */
export async function invite(
  tx: Repositories,
  caller: Caller,
  itwinId: string,
  email: string,
  grant: { roleIds: string[]; owner: boolean },
  now: string,
): Promise<Invitation> {
  const pending = (await tx.itwins.invitationsFor(email)).find((i) => i.iTwinId === itwinId && i.expiresAt > now);
  if (pending) await tx.itwins.deleteInvitation(pending.id);
  const invitation: Invitation = {
    id: newGuid(),
    iTwinId: itwinId,
    email,
    roleIds: [...new Set([...(pending?.roleIds ?? []), ...grant.roleIds])],
    owner: grant.owner || (pending?.owner ?? false),
    invitedBy: caller.subject,
    createdAt: now,
    expiresAt: new Date(Date.parse(now) + INVITATION_DAYS * 86_400_000).toISOString(),
  };
  await tx.itwins.insertInvitation(invitation);
  return invitation;
}

/** The subject known by this address, if any; when several are, the first by subject (docs/access-control.md). */
export async function subjectOf(tx: Pick<Repositories, 'users'>, email: string): Promise<string | undefined> {
  return (await tx.users.findByEmail(email))[0]?.subject;
}
