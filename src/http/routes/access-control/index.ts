import type { App, AppContext } from '../../context.js';
import { addITwinMembersRoute } from './add-itwin-members.js';
import { getITwinMemberRoute } from './get-itwin-member.js';
import { getITwinMembersRoute } from './get-itwin-members.js';
import { removeITwinMemberRoute } from './remove-itwin-member.js';
import { addITwinUserMembersRoute } from './add-itwin-user-members.js';
import { getITwinUserMembersRoute } from './get-itwin-user-members.js';
import { getITwinUserMemberRoute } from './get-itwin-user-member.js';
import { updateITwinUserMemberRoute } from './update-itwin-user-member.js';
import { removeITwinUserMemberRoute } from './remove-itwin-user-member.js';
import { addITwinOwnerMemberRoute } from './add-itwin-owner-member.js';
import { getITwinOwnerMembersRoute } from './get-itwin-owner-members.js';
import { removeITwinOwnerMemberRoute } from './remove-itwin-owner-member.js';
import { getITwinMemberInvitationsRoute } from './get-itwin-member-invitations.js';
import { createITwinRoleRoute } from './create-itwin-role.js';
import { getITwinRolesRoute } from './get-itwin-roles.js';
import { getITwinRoleRoute } from './get-itwin-role.js';
import { updateITwinRoleRoute } from './update-itwin-role.js';
import { deleteITwinRoleRoute } from './delete-itwin-role.js';
import { getAllPermissionsRoute } from './get-all-permissions.js';
import { getITwinPermissionsRoute } from './get-itwin-permissions.js';

/** iTwin membership: who may see and change what is in an iTwin. */
export function accessControlRoutes(app: App, ctx: AppContext): void {
  addITwinMembersRoute(app, ctx);
  getITwinMembersRoute(app, ctx);
  getITwinMemberRoute(app, ctx);
  removeITwinMemberRoute(app, ctx);
  // Access Control v2, on the same rows.
  addITwinUserMembersRoute(app, ctx);
  getITwinUserMembersRoute(app, ctx);
  getITwinUserMemberRoute(app, ctx);
  updateITwinUserMemberRoute(app, ctx);
  removeITwinUserMemberRoute(app, ctx);
  addITwinOwnerMemberRoute(app, ctx);
  getITwinOwnerMembersRoute(app, ctx);
  removeITwinOwnerMemberRoute(app, ctx);
  getITwinMemberInvitationsRoute(app, ctx);
  createITwinRoleRoute(app, ctx);
  getITwinRolesRoute(app, ctx);
  getITwinRoleRoute(app, ctx);
  updateITwinRoleRoute(app, ctx);
  deleteITwinRoleRoute(app, ctx);
  getAllPermissionsRoute(app, ctx);
  getITwinPermissionsRoute(app, ctx);
}
