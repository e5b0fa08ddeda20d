import type { App, AppContext } from '../../context.js';
import { getIModelUserRoute } from './get-imodel-user.js';
import { getIModelUsersRoute } from './get-imodel-users.js';

/** Users of an iModel: where the creator links of iModels, changesets and named versions lead. */
export function imodelUserRoutes(app: App, ctx: AppContext): void {
  getIModelUsersRoute(app, ctx);
  getIModelUserRoute(app, ctx);
}
