import type { App, AppContext } from '../../context.js';
import { getWebAppConfigRoute } from './get-web-app-config.js';
import { getWebAppPageRoute } from './get-web-app-page.js';

/** The web application at /app/ (docs/web-app.md); WEB_APP=off leaves it out, and /app/ is then the API's 404. */
export function webAppRoutes(app: App, ctx: AppContext): void {
  if (!ctx.config.webApp.enabled) return;
  getWebAppConfigRoute(app, ctx);
  getWebAppPageRoute(app, ctx);
}
