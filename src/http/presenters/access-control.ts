import type { GroupMember } from '../../domain/groups/model.js';
import type { GroupView } from '../../domain/groups/views.js';
import type { InvitationView, UserMemberView } from '../../domain/access-control/model.js';
import type { Role } from '../../domain/roles/model.js';

const roleRef = (r: Role) => ({ id: r.id, displayName: r.displayName, description: r.description });

// twinsync knows a user's subject, address and the names its token came with: the organization is
// null, and so are names no token gave, as the platform shows a user it no longer knows.
function person(v: UserMemberView) {
  return { id: v.member.userId, email: v.email, givenName: v.givenName, surname: v.surname, organization: null };
}

export const presentOwner = person;

export function presentUserMember(v: UserMemberView) {
  return { ...person(v), roles: v.roles.map(roleRef) };
}

export function presentInvitation(v: InvitationView) {
  const i = v.invitation;
  return {
    id: i.id,
    email: i.email,
    invitedByEmail: v.invitedByEmail,
    status: 'Pending',
    createdDate: i.createdAt,
    expirationDate: i.expiresAt,
    roles: v.roles.map(roleRef),
  };
}

export function presentRole(r: Role) {
  return { ...roleRef(r), permissions: r.permissions };
}

export function presentGroup(v: GroupView) {
  const g = v.group;
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    members: v.users.map((u) => ({ userId: u.subject, email: u.email, givenName: null, surname: null, organization: null })),
    imsGroups: g.imsGroups,
  };
}

export function presentGroupMember(m: GroupMember) {
  return { id: m.group.id, groupName: m.group.name, groupDescription: m.group.description, roles: m.roles.map(roleRef) };
}
