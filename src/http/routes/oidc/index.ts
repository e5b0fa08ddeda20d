import type { App, AppContext } from '../../context.js';
import { authorizeRoute } from './authorize.js';
import { jwksRoute } from './jwks.js';
import { openidConfigurationRoute } from './openid-configuration.js';
import { tokenRoute } from './token.js';

/** The built-in token issuer: discovery, keys and the token endpoint (form-encoded bodies). */
export function oidcRoutes(app: App, ctx: AppContext): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  openidConfigurationRoute(app, ctx);
  jwksRoute(app, ctx);
  tokenRoute(app, ctx);
  authorizeRoute(app);
}
