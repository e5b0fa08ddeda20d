import type { ConsentTickets } from '../../../domain/consent/consent-ticket.js';
import type { RedirectRegistry } from '../../../domain/consent/redirect-urls.js';
import { getConsentRequest } from '../../../domain/consent/get-consent-request.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';
import { consentHeaders, consentPage, sendConsentError } from './consent-html.js';
import { ConsentQuery, HtmlPage, domainChecksInput } from './schemas.js';

export function getConsentPageRoute(app: App, ctx: AppContext, tickets: ConsentTickets, redirects: RedirectRegistry): void {
  const operation = operations.getConsentPage;
  app.route({
    ...fromTable(operation),
    validatorCompiler: domainChecksInput,
    schema: {
      operationId: operation.id,
      summary: 'Consent page (authorizationUrl)',
      description:
        'The page `authorizationUrl` opens: names the user and the redirect target, with Approve and Deny buttons. ' +
        'No bearer token: the signed ticket is the credential. A bad, altered, expired or used ticket is 403 `InvalidConsentTicket` ' +
        '(an HTML page when the request accepts text/html).',
      tags: ['Authorization'],
      querystring: ConsentQuery,
      response: { 200: HtmlPage('The consent page.'), ...errorResponses(403, 429) },
    },
    handler: async (request, reply) => {
      try {
        const consent = await getConsentRequest(ctx.store, tickets, redirects, (request.query as { ticket?: unknown }).ticket);
        return consentHeaders(reply, consent.redirectUrl).type('text/html; charset=utf-8').send(consentPage(consent));
      } catch (error) {
        return sendConsentError(request, reply, error);
      }
    },
  });
}
