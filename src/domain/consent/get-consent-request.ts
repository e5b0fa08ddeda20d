import { hasConsented } from '../../store/repositories/consents.js';
import type { Store } from '../../store/store.js';
import { errors } from '../errors.js';
import type { ConsentClaims, ConsentTickets } from './consent-ticket.js';

export interface ConsentRequest extends ConsentClaims {
  /** The user has consented before (approving again only renews it). */
  alreadyAuthorized: boolean;
}

/** What the consent page shows: whose consent is asked, where the browser returns, and until when. */
export async function getConsentRequest(store: Store, tickets: ConsentTickets, ticket: unknown, nowMs = Date.now()): Promise<ConsentRequest> {
  const claims = openTicket(tickets, ticket, nowMs);
  return { ...claims, alreadyAuthorized: await hasConsented(store.db, claims.subject) };
}

/** The ticket's claims, or 403 `InvalidConsentTicket` saying why not. */
export function openTicket(tickets: ConsentTickets, ticket: unknown, nowMs = Date.now()): ConsentClaims {
  const check = tickets.verify(ticket, nowMs);
  if (!check.ok) throw errors.invalidConsentTicket(check.reason);
  return check.claims;
}
