import type { Member } from '../members/model.js';
import type { Invitation } from '../roles/model.js';
import type { Repositories } from '../store.js';
import type { InvitationView, UserMemberView } from './model.js';

/** Members with their addresses and roles: two reads, whatever the number of members. */
export async function userMemberViews(repos: Pick<Repositories, 'itwins' | 'users'>, itwinId: string, members: Member[]): Promise<UserMemberView[]> {
  const subjects = members.map((m) => m.userId);
  const [roles, users] = await Promise.all([repos.itwins.rolesOfMembers(itwinId, subjects), repos.users.findMany(subjects)]);
  const known = new Map(users.map((u) => [u.subject, u]));
  return members.map((member) => {
    const user = known.get(member.userId);
    return { member, email: user?.email ?? null, givenName: user?.givenName ?? null, surname: user?.surname ?? null, roles: roles.get(member.userId) ?? [] };
  });
}

export async function invitationViews(repos: Pick<Repositories, 'itwins' | 'users'>, itwinId: string, invitations: Invitation[]): Promise<InvitationView[]> {
  if (invitations.length === 0) return [];
  const [roles, inviters] = await Promise.all([repos.itwins.listRoles(itwinId), repos.users.findMany([...new Set(invitations.map((i) => i.invitedBy))])]);
  const rolesById = new Map(roles.map((r) => [r.id, r]));
  const emails = new Map(inviters.map((u) => [u.subject, u.email]));
  return invitations.map((invitation) => ({
    invitation,
    roles: invitation.roleIds.flatMap((id) => rolesById.get(id) ?? []),
    invitedByEmail: emails.get(invitation.invitedBy) ?? null,
  }));
}
