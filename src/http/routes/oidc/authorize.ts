import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { HtmlPage, domainChecksInput } from '../authorization/schemas.js';
import { AuthorizeQuery, OAuthError } from '../../schemas/oidc.js';
import { checkQuery } from './authorization-check.js';
import { browserKeyOf, sendPage, sendShownError, setBrowserKey, signInPage } from './sign-in-html.js';

/**
 * The authorization endpoint (RFC 6749 §4.1.1 with PKCE, OpenID Connect Core §3.1.2): checks the
 * request and shows the sign-in page, or says what is wrong: on a page when the client or its
 * redirect URI cannot be trusted, otherwise at the redirect URI (302).
 */
export function authorizeRoute(app: App, ctx: AppContext): void {
  const secure = ctx.config.publicUrl.startsWith('https:');
  app.route({
    ...fromTable(operations.authorize),
    validatorCompiler: domainChecksInput,
    schema: {
      operationId: operations.authorize.id,
      tags: ['Built-in issuer'],
      summary: 'Sign in (authorization code with PKCE)',
      description:
        'Shows the sign-in page for an authorization request (docs/sign-in.md). `response_type=code`, `client_id`, `redirect_uri` ' +
        '(exactly a registered one), `code_challenge` with `code_challenge_method=S256` are required. A request whose client or ' +
        'redirect URI is wrong is answered here (a page, or OAuth JSON without `Accept: text/html`), never redirected; other ' +
        'errors go to the redirect URI with `error`, `error_description`, `state` and `iss`.',
      querystring: AuthorizeQuery,
      response: {
        200: HtmlPage('The sign-in page (sets the form\u2019s cookie).'),
        302: { type: 'null', description: 'To redirect_uri with error, error_description, state and iss.' },
        400: OAuthError,
      },
    },
    handler: async (request, reply) => {
      const check = await checkQuery(ctx, request.query);
      if (!check.ok && !check.redirect) return sendShownError(request, reply, check.failure);
      if (!check.ok) {
        request.log.info({ client: check.clientId, error: check.failure.error }, 'authorization request refused at its redirect URI');
        return reply.header('cache-control', 'no-store').redirect(check.location, 302);
      }
      const browser = ctx.signInForms.browserKey(browserKeyOf(request));
      setBrowserKey(reply, browser.key, ctx.signInForms.ttlSeconds, secure);
      const formToken = ctx.signInForms.issue(browser.key, check.request, ctx.now());
      return sendPage(reply, 200, signInPage({ request: check.request, formToken, email: check.request.loginHint }), check.request.redirectUri);
    },
  });
}
