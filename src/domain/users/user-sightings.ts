import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import type { Store } from '../store.js';

/**
 * Invitations of an address become memberships when a user is first seen with it (there is no
 * e-mail to click here: authenticating with the address is the acceptance). Expired ones are dropped.
 */
async function acceptInvitations(store: Store, subject: string, email: string): Promise<void> {
  const now = nowIso();
  for (const invitation of await store.itwins.invitationsFor(email)) {
    await store.write(async (tx) => {
      if (invitation.expiresAt > now && (await tx.itwins.lock(invitation.iTwinId)) && !(await tx.itwins.isMember(invitation.iTwinId, subject))) {
        await tx.itwins.addMember({ iTwinId: invitation.iTwinId, userId: subject, createdAt: now, owner: invitation.owner });
        const roles = [];
        for (const id of invitation.roleIds) if (await tx.itwins.findRole(invitation.iTwinId, id)) roles.push(id);
        if (roles.length > 0) await tx.itwins.setMemberRoles(invitation.iTwinId, subject, roles);
      }
      await tx.itwins.deleteInvitation(invitation.id);
    });
  }
}

const REMEMBERED = 10_000;

/**
 * Remembers the e-mail address each subject authenticates with, so that members can be added and
 * users looked up by address. A write only when the pair is new to this process and differs from
 * what the store holds; after that, a request costs one map look-up (bounded, oldest forgotten first).
 */
export class UserSightings {
  private readonly seen = new Map<string, string>();

  constructor(private readonly store: Store) {}

  async sighted(caller: Caller): Promise<void> {
    if (caller.email === undefined) {
      // Known without an address (GET /users/me and the look-ups find it); an address seen before is kept.
      if (this.seen.has(caller.subject)) return;
      if (!(await this.store.users.find(caller.subject))) await this.store.users.remember({ subject: caller.subject, email: null }, nowIso());
      this.remember(caller.subject, '');
      return;
    }
    if (this.seen.get(caller.subject) === caller.email) return;
    const known = await this.store.users.find(caller.subject);
    if (known?.email !== caller.email) {
      await this.store.users.remember({ subject: caller.subject, email: caller.email }, nowIso());
      await acceptInvitations(this.store, caller.subject, caller.email);
    }
    this.remember(caller.subject, caller.email);
  }

  private remember(subject: string, email: string): void {
    if (this.seen.size >= REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(subject, email);
  }
}
