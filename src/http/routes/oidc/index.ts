import type { App, AppContext } from '../../context.js';
import { withFormBodies } from '../../plugins/form-body.js';
import { authorizeRoute } from './authorize.js';
import { jwksRoute } from './jwks.js';
import { openidConfigurationRoute } from './openid-configuration.js';
import { submitSignInRoute } from './submit-sign-in.js';
import { tokenRoute } from './token.js';
import { userinfoRoute } from './userinfo.js';

/**
 * The built-in token issuer: discovery, keys, sign-in (the authorization endpoint and its form), the
 * token endpoint and userinfo. The token endpoint and the sign-in form take form-encoded bodies.
 */
export function oidcRoutes(app: App, ctx: AppContext): void {
  openidConfigurationRoute(app, ctx);
  jwksRoute(app, ctx);
  authorizeRoute(app, ctx);
  withFormBodies(app, (scope) => {
    tokenRoute(scope, ctx);
    submitSignInRoute(scope, ctx);
  });
  userinfoRoute(app, ctx);
}
