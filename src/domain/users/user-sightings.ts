import type { Caller } from '../caller.js';
import { nowIso } from '../clock.js';
import type { Store } from '../store.js';
import { namesOf } from './lookups.js';

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

/** What an identity provider says of a user beyond its token: a verified address, and names when it has them. */
export interface Profile {
  email: string;
  name?: string;
  givenName?: string;
  surname?: string;
}

/** What a subject was seen with, as one string to compare: the address alone when there are no names (most tokens). */
function sighting(email: string | null, displayName?: string | null, givenName?: string | null, surname?: string | null): string {
  if (!displayName && !givenName && !surname) return email ?? '';
  return JSON.stringify([email, displayName ?? null, givenName ?? null, surname ?? null]);
}

/**
 * Remembers the e-mail address (and the names) each subject authenticates with, so that members can
 * be added and users looked up by address, and shown by name. A write only when what a token says is
 * new to this process and differs from what the store holds; after that, a request costs one map
 * look-up (bounded, oldest forgotten first). Names are recorded with an address only.
 */
export class UserSightings {
  private readonly seen = new Map<string, string>();

  constructor(private readonly store: Store) {}

  /**
   * `findProfile`, when given, says the address (and names) of a caller whose token has none: the
   * built-in issuer's own address for it, or what an external provider's userinfo endpoint answers.
   * Asked when the service has no address for the subject yet: once per process, unless it could not
   * be had (undefined), and then again at a later request.
   */
  async sighted(caller: Caller, findProfile?: () => Promise<Profile | null | undefined>): Promise<void> {
    if (caller.email === undefined) {
      // Known without an address (GET /users/me and the look-ups find it); an address seen before is kept.
      if (this.seen.has(caller.subject)) return;
      const known = await this.store.users.find(caller.subject);
      const found = known?.email || !findProfile ? null : await findProfile();
      if (found) return this.sighted({ ...caller, ...found });
      if (!known) await this.store.users.remember({ subject: caller.subject, email: null }, nowIso());
      if (found !== undefined) this.remember(caller.subject, '');
      return;
    }
    const seen = sighting(caller.email, caller.name, caller.givenName, caller.surname);
    if (this.seen.get(caller.subject) === seen) return;
    const known = await this.store.users.find(caller.subject);
    if (!known || sighting(known.email, known.displayName, known.givenName, known.surname) !== seen) {
      await this.store.users.remember({ subject: caller.subject, email: caller.email, ...namesOf(caller) }, nowIso());
      // A new address may be the one of invitations; new names alone change nothing else.
      if (known?.email !== caller.email) await acceptInvitations(this.store, caller.subject, caller.email);
    }
    this.remember(caller.subject, seen);
  }

  private remember(subject: string, email: string): void {
    if (this.seen.size >= REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(subject, email);
  }
}
