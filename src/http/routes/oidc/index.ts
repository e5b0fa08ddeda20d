import type { App, AppContext } from '../../context.js';
import { withFormBodies } from '../../plugins/form-body.js';
import { authorizeRoute } from './authorize.js';
import { jwksRoute } from './jwks.js';
import { openidConfigurationRoute } from './openid-configuration.js';
import { tokenRoute } from './token.js';

/** The built-in token issuer: discovery, keys and the token endpoint (the one taking form-encoded bodies). */
export function oidcRoutes(app: App, ctx: AppContext): void {
  openidConfigurationRoute(app, ctx);
  jwksRoute(app, ctx);
  withFormBodies(app, (scope) => tokenRoute(scope, ctx));
  authorizeRoute(app);
}
