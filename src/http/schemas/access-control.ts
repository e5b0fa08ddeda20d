import { Type } from 'typebox';
import { PERMISSIONS } from '../../domain/roles/permissions.js';
import { CollectionLinks } from './source-file.js';

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });
const RoleIds = Type.Array(Type.String({ maxLength: 255 }), { minItems: 1, maxItems: 50, description: 'Ids of roles of the iTwin.' });

/** Enforced by domain/access-control/bodies.ts; test/integration/body-contract.test.ts keeps the two alike. */
export const UserMembersAdd = Type.Object({
  members: Type.Array(Type.Object({ email: Type.String({ maxLength: 254 }), roleIds: RoleIds }), {
    minItems: 1,
    description: 'At most 50 role assignments in all.',
  }),
  customMessage: Type.Optional(Type.String({ maxLength: 2000, description: 'Accepted; twinsync sends no e-mail.' })),
});
export const MemberRolesUpdate = Type.Object({ roleIds: RoleIds });
export const OwnerAdd = Type.Object({ email: Type.String({ maxLength: 254 }) });
export const RoleCreate = Type.Object({
  displayName: Type.String({ maxLength: 255, description: 'Not empty.' }),
  description: Type.String({ maxLength: 1024 }),
});
export const RoleUpdate = Type.Object({
  displayName: Type.Optional(Type.String({ maxLength: 255, description: 'Not empty.' })),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
  permissions: Type.Optional(Type.Array(Type.Union(PERMISSIONS.map((p) => Type.Literal(p))))),
});

const RoleRef = Type.Object({ id: Type.String(), displayName: Type.String(), description: Type.String() });
export const Role = Type.Object({ id: Type.String(), displayName: Type.String(), description: Type.String(), permissions: Type.Array(Type.String()) });
const PersonFields = {
  id: Type.String({ description: 'The user’s id: the sub of its tokens.' }),
  email: Nullable('The address the user was last seen with; null when it never came with one.'),
  givenName: Nullable('The `given_name` the user was last seen with; null when none came.'),
  surname: Nullable('The `family_name` the user was last seen with; null when none came.'),
  organization: Nullable('Not known to twinsync: null.'),
};
export const UserMember = Type.Object({ ...PersonFields, roles: Type.Array(RoleRef) });
export const OwnerMember = Type.Object(PersonFields);
export const Invitation = Type.Object({
  id: Type.String(),
  email: Type.String(),
  invitedByEmail: Nullable('The address of whoever invited, when known.'),
  status: Type.String({ description: 'Pending.' }),
  createdDate: Type.String(),
  expirationDate: Type.String(),
  roles: Type.Array(RoleRef),
});

export const UserMembersAdded = Type.Object({ members: Type.Array(UserMember), invitations: Type.Array(Invitation) });
export const UserMemberList = Type.Object({ members: Type.Array(UserMember), _links: CollectionLinks });
export const UserMemberResponse = Type.Object({ member: UserMember });
export const OwnerAdded = Type.Object({ member: Type.Union([OwnerMember, Type.Null()]), invitation: Type.Union([Invitation, Type.Null()]) });
export const OwnerList = Type.Object({ members: Type.Array(OwnerMember), _links: CollectionLinks });
export const InvitationList = Type.Object({ invitations: Type.Array(Invitation), _links: CollectionLinks });
export const RoleResponse = Type.Object({ role: Role });
export const RoleList = Type.Object({ roles: Type.Array(Role) });
export const PermissionList = Type.Object({ permissions: Type.Array(Type.String()) });
export const RoleParams = Type.Object({ iTwinId: Type.String(), roleId: Type.String() });

/** Groups (docs/access-control.md, "Groups"); enforced by domain/groups/bodies.ts. */
export const GroupCreate = Type.Object({ name: Type.String({ maxLength: 255, description: 'Not empty.' }), description: Type.String({ maxLength: 1024 }) });
export const GroupUpdate = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255, description: 'Not empty.' })),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
  members: Type.Optional(
    Type.Array(Type.String({ maxLength: 254 }), { maxItems: 50, description: 'Addresses users have authenticated with; they replace the group’s users.' }),
  ),
  imsGroups: Type.Optional(Type.Array(Type.String({ maxLength: 254 }), { maxItems: 50, description: 'Kept and shown; they grant nothing here.' })),
});
const GroupUser = Type.Object({
  userId: Type.String({ description: 'The user’s id: the sub of its tokens.' }),
  email: Nullable('The address the user was last seen with.'),
  givenName: Nullable('Not known to twinsync: null.'),
  surname: Nullable('Not known to twinsync: null.'),
  organization: Nullable('Not known to twinsync: null.'),
});
export const Group = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  members: Type.Array(GroupUser),
  imsGroups: Type.Array(Type.String()),
});
export const GroupResponse = Type.Object({ group: Group });
export const GroupList = Type.Object({ groups: Type.Array(Group), _links: CollectionLinks });
export const GroupParams = Type.Object({ iTwinId: Type.String(), groupId: Type.String() });
export const GroupMembersAdd = Type.Object({
  members: Type.Array(Type.Object({ groupId: Type.String({ maxLength: 255 }), roleIds: RoleIds }), {
    minItems: 1,
    description: 'At most 50 role assignments in all.',
  }),
});
const GroupMember = Type.Object({
  id: Type.String({ description: 'The group’s id.' }),
  groupName: Type.String(),
  groupDescription: Type.String(),
  roles: Type.Array(RoleRef),
});
export const GroupMembersAdded = Type.Object({ members: Type.Array(GroupMember) });
export const GroupMemberList = Type.Object({ members: Type.Array(GroupMember), _links: CollectionLinks });
export const GroupMemberResponse = Type.Object({ member: GroupMember });
