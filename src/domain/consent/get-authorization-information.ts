import type { Caller } from '../caller.js';
import { errors, type ErrorDetail } from '../errors.js';
import { property } from '../request-body.js';
import type { Store } from '../store.js';
import type { ConsentTickets } from './consent-ticket.js';
import { isRegisteredRedirect, NOT_REGISTERED, type RedirectRegistry } from './redirect-urls.js';

export interface AuthorizationInformation {
  isUserAuthorized: boolean;
  /** Goes into the authorization URL (the HTTP layer builds it on PUBLIC_URL). */
  ticket: string;
}

/** Longer redirect URLs are refused: the URL travels inside the ticket, inside another URL. */
export const MAX_REDIRECT_URL = 2000;

/**
 * `GET /synchronization/imodels/connections/authorizationinformation?redirectUrl=`: whether the caller
 * has consented, and a fresh ticket for the consent page, which returns the browser to `redirectUrl`.
 * The query name is matched in any case, as the cloud's model binding does. `redirectUrl` must be
 * registered for the caller's client (redirect-urls.ts): else 422 `InvalidValue`, no ticket.
 */
export async function getAuthorizationInformation(
  store: Store,
  tickets: ConsentTickets,
  redirects: RedirectRegistry,
  caller: Caller,
  query: Record<string, unknown>,
): Promise<AuthorizationInformation> {
  const redirectUrl = parseRedirectUrl(property(query, 'redirectUrl'));
  if (!isRegisteredRedirect(redirects, caller.clientId, redirectUrl)) {
    throw errors.invalidAuthorizationInformationRequest([{ code: 'InvalidValue', message: NOT_REGISTERED, target: 'redirectUrl' }]);
  }
  return {
    isUserAuthorized: await store.consents.hasConsented(caller.subject),
    ticket: tickets.issue(caller.subject, redirectUrl, caller.clientId),
  };
}

/**
 * An absolute http or https URL, returned normalized (percent-encoded, so it is a valid `Location`).
 * Missing or empty: `MissingRequiredProperty`; anything else that is not such a URL, the same
 * parameter given twice included: `InvalidValue` as the platform publishes it.
 */
export function parseRedirectUrl(raw: unknown): string {
  if (raw === undefined || raw === null || raw === '') {
    throw errors.invalidAuthorizationInformationRequest([{ code: 'MissingRequiredProperty', message: 'redirectUrl was not provided.', target: 'redirectUrl' }]);
  }
  const invalid: ErrorDetail = { code: 'InvalidValue', message: 'redirectUrl should be a valid URL.', target: 'redirectUrl' };
  if (typeof raw !== 'string' || raw.length > MAX_REDIRECT_URL || !URL.canParse(raw)) {
    throw errors.invalidAuthorizationInformationRequest([invalid]);
  }
  const url = new URL(raw);
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw errors.invalidAuthorizationInformationRequest([invalid]);
  }
  return url.href;
}
