import type { ConsentTickets } from '../../../domain/consent/consent-ticket.js';
import type { RedirectRegistry } from '../../../domain/consent/redirect-urls.js';
import { getAuthorizationInformation } from '../../../domain/consent/get-authorization-information.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { AuthorizationInformationQuery, AuthorizationInformationResponse, domainChecksInput } from './schemas.js';

export function getAuthorizationInformationRoute(app: App, ctx: AppContext, tickets: ConsentTickets, redirects: RedirectRegistry): void {
  const operation = operations.getAuthorizationInformation;
  app.route({
    ...fromTable(operation),
    validatorCompiler: domainChecksInput,
    schema: {
      operationId: operation.id,
      summary: 'Get Authorization Information',
      description:
        'Whether the caller has consented to `User` connections running on their behalf, and the URL of the consent page ' +
        '(served by twinsync, valid for 15 minutes) that records consent and returns the browser to `redirectUrl`. ' +
        '`redirectUrl` must be registered: for the calling OAuth client (its `redirectUris`), for the deployment ' +
        '(`CONSENT_REDIRECT_URLS`), or a loopback address (`http://localhost`, `127.0.0.1`, `[::1]`, any port and path); ' +
        'any other is 422 `InvalidValue`. Scripts can consent without a browser: `curl -X POST "$AUTHORIZATION_URL" -d decision=approve`.',
      tags: ['Authorization'],
      querystring: AuthorizationInformationQuery,
      response: { 200: AuthorizationInformationResponse, ...errorResponses(401, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const info = await getAuthorizationInformation(ctx.store, tickets, redirects, callerOf(request), request.query as Record<string, unknown>);
      // Clients poll this until consent is given: never from a cache.
      reply.header('cache-control', 'no-store');
      return {
        authorizationInformation: {
          isUserAuthorized: info.isUserAuthorized,
          _links: { authorizationUrl: { href: `${ctx.config.publicUrl}${operations.getConsentPage.url}?ticket=${encodeURIComponent(info.ticket)}` } },
        },
      };
    },
  });
}
