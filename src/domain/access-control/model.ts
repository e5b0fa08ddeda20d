import type { Member } from '../members/model.js';
import type { Invitation, Role } from '../roles/model.js';

/** A member as Access Control v2 shows it: the subject, the address it is known by (if any), its roles. */
export interface UserMemberView {
  member: Member;
  email: string | null;
  /** The names the member was last seen with (null when none). */
  givenName: string | null;
  surname: string | null;
  roles: Role[];
}

/** An invitation with its roles and the address of whoever invited (if known). */
export interface InvitationView {
  invitation: Invitation;
  roles: Role[];
  invitedByEmail: string | null;
}

/** How long an invitation waits for its address to authenticate: the platform's documented 7 days. */
export const INVITATION_DAYS = 7;
