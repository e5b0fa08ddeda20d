import { WEB_CALLBACK_PATH } from '../../../auth/clients.js';
import type { Config } from '../../../config.js';

/** The path under /app/ the OpenID provider sends the browser back to; the page handles it. */
export const CALLBACK_PATH = WEB_CALLBACK_PATH;

/**
 * What the page needs before anyone has signed in: where to sign in, as which client, for which
 * scopes. The page reads the provider's own discovery document for everything else (authorization
 * and token endpoints), so that the built-in issuer and an external provider are one code path.
 */
export function webAppSettings(config: Config) {
  return {
    apiUrl: config.publicUrl,
    issuer: config.auth.mode,
    authority: config.auth.issuer,
    clientId: config.webApp.clientId ?? null,
    scope: config.webApp.scope,
    redirectUri: `${config.publicUrl}${CALLBACK_PATH}`,
  };
}
