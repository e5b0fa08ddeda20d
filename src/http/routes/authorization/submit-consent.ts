import type { ConsentTickets } from '../../../domain/consent/consent-ticket.js';
import type { RedirectRegistry } from '../../../domain/consent/redirect-urls.js';
import { recordConsent } from '../../../domain/consent/record-consent.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { consentHeaders, sendConsentError } from './consent-html.js';
import { ConsentForm, ConsentQuery, domainChecksInput } from './schemas.js';

export function submitConsentRoute(app: App, ctx: AppContext, tickets: ConsentTickets, redirects: RedirectRegistry): void {
  const operation = operations.submitConsent;
  app.route({
    ...fromTable(operation),
    validatorCompiler: domainChecksInput,
    schema: {
      operationId: operation.id,
      summary: 'Approve or deny consent',
      description:
        'What the consent page posts (form-encoded; JSON is accepted too). `approve` records consent and redirects (303) to ' +
        '`redirectUrl` unchanged; `deny` records nothing and redirects to `redirectUrl` with `error=access_denied`. ' +
        'A ticket is single-use: once a decision is recorded, the authorization URL is 403 `InvalidConsentTicket`. ' +
        'From a script: `curl -X POST "$AUTHORIZATION_URL" -d decision=approve` (expect 303).',
      tags: ['Authorization'],
      querystring: ConsentQuery,
      consumes: ['application/x-www-form-urlencoded', 'application/json'],
      body: ConsentForm,
      response: {
        303: { type: 'null', description: 'To redirectUrl (with error=access_denied after deny). No body.' },
        ...errorResponses(403, 415, 422, 429),
      },
    },
    handler: async (request, reply) => {
      try {
        const outcome = await recordConsent(ctx.store, tickets, redirects, (request.query as { ticket?: unknown }).ticket, request.body);
        request.log.info({ subject: outcome.subject, decision: outcome.decision }, 'consent decision');
        return consentHeaders(reply).redirect(outcome.location, 303);
      } catch (error) {
        return sendConsentError(request, reply, error);
      }
    },
  });
}
