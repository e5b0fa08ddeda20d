import { ConsentTickets } from '../../../domain/consent/consent-ticket.js';
import type { App, AppContext } from '../../context.js';
import { getAuthorizationInformationRoute } from './get-authorization-information.js';
import { getConsentPageRoute } from './get-consent-page.js';
import { submitConsentRoute } from './submit-consent.js';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Authorization information (for `User` connections) and the consent page its authorizationUrl opens.
 * The ticket secret lives in DATA_DIR (`consent-secret.json`), created on first start.
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
  getAuthorizationInformationRoute(app, ctx, tickets);
  getConsentPageRoute(app, ctx, tickets);
  submitConsentRoute(app, ctx, tickets);
}
