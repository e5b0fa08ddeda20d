import { nowIso } from '../clock.js';
import { errors } from '../errors.js';
import { isPlainObject, property } from '../request-body.js';
import type { Store } from '../store.js';
import type { ConsentTickets } from './consent-ticket.js';
import { openTicket, TICKET_USED } from './get-consent-request.js';
import type { RedirectRegistry } from './redirect-urls.js';

export type ConsentDecision = 'approve' | 'deny';

export interface ConsentOutcome {
  decision: ConsentDecision;
  subject: string;
  /** Where the browser goes next (303). */
  location: string;
}

/**
 * The user's answer on the consent page (or a script's `curl -X POST "$AUTH_URL" -d decision=approve`).
 * The ticket is checked first, so nothing about the request is revealed without a genuine one.
 * Approve records consent and returns to `redirectUrl` unchanged (itwin-cli's callback server
 * matches the path `/callback` exactly, query included); deny records nothing, revokes nothing, and
 * returns with `error=access_denied` as OAuth 2.0 does. Either way the ticket is used up: marked in
 * the store in the same transaction, so a second submission (from any process) is 403
 * `InvalidConsentTicket` and changes nothing.
 */
export async function recordConsent(
  store: Store,
  tickets: ConsentTickets,
  redirects: RedirectRegistry,
  ticket: unknown,
  body: unknown,
  nowMs = Date.now(),
): Promise<ConsentOutcome> {
  const claims = openTicket(tickets, redirects, ticket, nowMs);
  const decision = parseDecision(body);
  const now = new Date(nowMs).toISOString();
  const expiresAt = new Date(claims.expires * 1000).toISOString();
  await store.write(async (tx) => {
    if (!(await tx.consents.useTicket(claims.id, expiresAt, now))) throw errors.invalidConsentTicket(TICKET_USED);
    if (decision === 'approve') await tx.consents.grant(claims.subject, nowIso());
  });
  if (decision === 'deny') {
    const url = new URL(claims.redirectUrl);
    url.searchParams.append('error', 'access_denied');
    return { decision, subject: claims.subject, location: url.href };
  }
  return { decision, subject: claims.subject, location: claims.redirectUrl };
}

function parseDecision(body: unknown): ConsentDecision {
  const raw = isPlainObject(body) ? property(body, 'decision') : undefined;
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  if (value === 'approve' || value === 'deny') return value;
  const missing = value === undefined || value === '';
  throw errors.invalidConsentRequest([
    missing
      ? { code: 'MissingRequiredProperty', message: 'decision was not provided: send decision=approve or decision=deny.', target: 'decision' }
      : { code: 'InvalidValue', message: "decision must be 'approve' or 'deny'.", target: 'decision' },
  ]);
}
