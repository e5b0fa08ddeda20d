import { errors } from '../../../domain/errors.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { UserInfo } from '../../schemas/oidc.js';

/**
 * OpenID Connect's UserInfo (Core §5.3): the signed-in person's claims, for an access token that was
 * granted `openid`; `email` with the `email` scope, names with `profile`. An account removed since
 * the token was issued is refused as the token would be if it had expired.
 */
export function userinfoRoute(app: App, ctx: AppContext): void {
  app.route({
    ...fromTable(operations.userinfo),
    schema: {
      operationId: operations.userinfo.id,
      tags: ['Built-in issuer'],
      summary: 'Who signed in (OpenID Connect UserInfo)',
      response: { 200: UserInfo, ...errorResponses(401, 429) },
    },
    handler: async (request, reply) => {
      const caller = callerOf(request);
      const account = await ctx.store.accounts.find(caller.subject);
      if (!account) throw errors.invalidToken();
      reply.header('cache-control', 'no-store');
      return {
        sub: account.id,
        ...(caller.scopes.has('email') ? { email: account.email } : {}),
        ...(caller.scopes.has('profile')
          ? {
              name: account.displayName,
              ...(account.givenName ? { given_name: account.givenName } : {}),
              ...(account.surname ? { family_name: account.surname } : {}),
            }
          : {}),
      };
    },
  });
}
