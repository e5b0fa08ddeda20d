import { errors } from '../errors.js';
import type { Store } from '../store.js';
import type { ConsentClaims, ConsentTickets } from './consent-ticket.js';
import { isRegisteredRedirect, type RedirectRegistry } from './redirect-urls.js';

export interface ConsentRequest extends ConsentClaims {
  /** The user has consented before (approving again only renews it). */
  alreadyAuthorized: boolean;
}

export const TICKET_USED = 'the ticket has already been used: ask your application for a new authorization URL.';

/** What the consent page shows: whose consent is asked, where the browser returns, and until when. */
export async function getConsentRequest(
  store: Store,
  tickets: ConsentTickets,
  redirects: RedirectRegistry,
  ticket: unknown,
  nowMs = Date.now(),
): Promise<ConsentRequest> {
  const claims = openTicket(tickets, redirects, ticket, nowMs);
  if (await store.consents.ticketUsed(claims.id)) throw errors.invalidConsentTicket(TICKET_USED);
  return { ...claims, alreadyAuthorized: await store.consents.hasConsented(claims.subject) };
}

/**
 * The ticket's claims, or 403 `InvalidConsentTicket` saying why not. Its redirect URL is checked
 * again: one unregistered since the ticket was issued (or a client removed) is not followed.
 */
export function openTicket(tickets: ConsentTickets, redirects: RedirectRegistry, ticket: unknown, nowMs = Date.now()): ConsentClaims {
  const check = tickets.verify(ticket, nowMs);
  if (!check.ok) throw errors.invalidConsentTicket(check.reason);
  if (!isRegisteredRedirect(redirects, check.claims.clientId, check.claims.redirectUrl)) {
    throw errors.invalidConsentTicket('its redirect URL is no longer registered for the application: ask it for a new authorization URL.');
  }
  return check.claims;
}
