import type { App, AppContext } from '../../context.js';
import { getMeRoute } from './get-me.js';
import { getUsersByIdListRoute } from './get-users-by-id-list.js';
import { getUsersRoute } from './get-users.js';

/** The Users API: who the service knows, by token subject and e-mail address. */
export function usersRoutes(app: App, ctx: AppContext): void {
  getMeRoute(app, ctx);
  getUsersByIdListRoute(app, ctx);
  getUsersRoute(app, ctx);
}
