import type { RedirectRegistry } from '../../../domain/consent/redirect-urls.js';
import type { App, AppContext } from '../../context.js';
import { withFormBodies } from '../../plugins/form-body.js';
import { getAuthorizationInformationRoute } from './get-authorization-information.js';
import { getConsentPageRoute } from './get-consent-page.js';
import { submitConsentRoute } from './submit-consent.js';

/**
 * Authorization information (for `User` connections) and the consent page its authorizationUrl opens.
 * The ticket secret is the deployment's (in its store, made on first start). Registered redirect
 * URLs: each built-in client's `redirectUris` (from its registry, which follows the store) and
 * CONSENT_REDIRECT_URLS for every caller.
 */
export function authorizationRoutes(app: App, ctx: AppContext): void {
  const tickets = ctx.consentTickets;
  const redirects: RedirectRegistry = {
    forClient: (clientId) => (clientId === undefined ? [] : (ctx.issuer?.registry.find(clientId)?.redirectUris ?? [])),
    everyone: ctx.config.consentRedirectUrls,
  };
  getAuthorizationInformationRoute(app, ctx, tickets, redirects);
  getConsentPageRoute(app, ctx, tickets, redirects);
  // The consent page posts form-encoded (JSON is accepted too); only this route reads forms.
  withFormBodies(app, (scope) => submitConsentRoute(scope, ctx, tickets, redirects));
}
