import type { App, AppContext } from '../../context.js';
import { addITwinMembersRoute } from './add-itwin-members.js';
import { getITwinMemberRoute } from './get-itwin-member.js';
import { getITwinMembersRoute } from './get-itwin-members.js';
import { removeITwinMemberRoute } from './remove-itwin-member.js';

/** iTwin membership: who may see and change what is in an iTwin. */
export function accessControlRoutes(app: App, ctx: AppContext): void {
  addITwinMembersRoute(app, ctx);
  getITwinMembersRoute(app, ctx);
  getITwinMemberRoute(app, ctx);
  removeITwinMemberRoute(app, ctx);
}
