import { ConsentTickets } from '../../../domain/consent/consent-ticket.js';
import type { RedirectRegistry } from '../../../domain/consent/redirect-urls.js';
import type { App, AppContext } from '../../context.js';
import { getAuthorizationInformationRoute } from './get-authorization-information.js';
import { getConsentPageRoute } from './get-consent-page.js';
import { submitConsentRoute } from './submit-consent.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Authorization information (for `User` connections) and the consent page its authorizationUrl opens.
 * The ticket secret lives in DATA_DIR (`consent-secret.json`), created on first start. Registered
 * redirect URLs: each built-in client's `redirectUris` (read live from its registry, so changes to
 * clients.json apply at once) and CONSENT_REDIRECT_URLS for every caller.
 */
export function authorizationRoutes(app: App, ctx: AppContext): void {
  // The consent form posts form-encoded. The built-in issuer's routes register that parser; with an
  // external issuer they are not there, and then it is registered here (the same one-liner).
  if (!app.hasContentTypeParser(FORM)) {
    app.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }
  const tickets = ConsentTickets.load(ctx.config.dataDir);
  const redirects: RedirectRegistry = {
    forClient: (clientId) => (clientId === undefined ? [] : (ctx.issuer?.registry.find(clientId)?.redirectUris ?? [])),
    everyone: ctx.config.consentRedirectUrls,
  };
  getAuthorizationInformationRoute(app, ctx, tickets, redirects);
  getConsentPageRoute(app, ctx, tickets, redirects);
  submitConsentRoute(app, ctx, tickets, redirects);
}
