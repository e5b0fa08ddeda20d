import { isPlainObject } from '../../../domain/request-body.js';
import { signIn } from '../../../domain/sign-in/sign-in.js';
import { oauthErrors } from '../../../domain/sign-in/oauth-errors.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { HtmlPage, domainChecksInput } from '../authorization/schemas.js';
import { prefersHtml } from '../authorization/consent-html.js';
import { AuthorizeQuery, OAuthError, SignInForm } from '../../schemas/oidc.js';
import { checkQuery } from './authorization-check.js';
import { browserKeyOf, sendPage, sendShownError, setBrowserKey, signInPage } from './sign-in-html.js';

const WRONG = 'The e-mail address or the password is not right.';

/**
 * What the sign-in page posts. The authorization request is checked again (from the query, as the
 * page was opened with it), then the form's token against the browser's cookie, then the password.
 * Right: 303 to the redirect URI with a new code. Wrong: the page again, with the message (200, as
 * the form was served; the password is never put back). See docs/sign-in.md for every answer.
 */
export function submitSignInRoute(app: App, ctx: AppContext): void {
  const secure = ctx.config.publicUrl.startsWith('https:');
  app.route({
    ...fromTable(operations.submitSignIn),
    validatorCompiler: domainChecksInput,
    schema: {
      operationId: operations.submitSignIn.id,
      tags: ['Built-in issuer'],
      summary: 'Submit the sign-in form',
      description:
        'Posted by the sign-in page to its own URL (the authorization request in the query), form-encoded: `email`, `password`, ' +
        '`form_token`, with the page\u2019s cookie. Right password: 303 to redirect_uri with `code`, `state` and `iss`. Wrong: the ' +
        'page again with a message (200). Form token missing, expired or not this browser\u2019s: a new page (400). Too many wrong ' +
        'passwords for the account: 429 with Retry-After; all password checks busy: 503 with Retry-After.',
      querystring: AuthorizeQuery,
      consumes: ['application/x-www-form-urlencoded'],
      body: SignInForm,
      response: {
        200: HtmlPage('The page again, saying the address or password is wrong.'),
        303: { type: 'null', description: 'To redirect_uri with code, state and iss (or error).' },
        400: OAuthError,
        429: HtmlPage('Too many wrong passwords for this account lately; Retry-After says when to try again.'),
        503: HtmlPage('Too many sign-ins being checked at once; Retry-After says when to try again.'),
      },
    },
    handler: async (request, reply) => {
      const check = await checkQuery(ctx, request.query);
      if (!check.ok && !check.redirect) return sendShownError(request, reply, check.failure);
      if (!check.ok) return reply.header('cache-control', 'no-store').redirect(check.location, 303);
      const authorization = check.request;
      const form = isPlainObject(request.body) ? (request.body as Record<string, unknown>) : {};
      const field = (name: keyof typeof SignInForm.properties) => (typeof form[name] === 'string' ? (form[name] as string) : '');
      const now = ctx.now();
      const page = (status: number, message: string) => {
        // Each page gets a token of its own, for the browser's key (a new one if it had none).
        const browser = ctx.signInForms.browserKey(browserKeyOf(request));
        setBrowserKey(reply, browser.key, ctx.signInForms.ttlSeconds, secure);
        const formToken = ctx.signInForms.issue(browser.key, authorization, now);
        return sendPage(reply, status, signInPage({ request: authorization, formToken, email: field('email'), message }), authorization.redirectUri);
      };

      const outcome = await signIn(
        ctx.store,
        ctx.passwords,
        ctx.signInForms,
        authorization,
        { email: field('email'), password: field('password'), formToken: form.form_token, browserKey: browserKeyOf(request) },
        ctx.config.auth.issuer,
        ctx.config.auth.signIn,
        now,
      );
      const client = authorization.clientId;
      switch (outcome.kind) {
        case 'signed-in':
          request.log.info({ client, account: outcome.accountId }, 'signed in');
          return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(outcome.location, 303);
        case 'bad-form':
          request.log.info({ client, reason: `form-${outcome.reason}` }, 'sign-in refused');
          if (!prefersHtml(request)) {
            return sendShownError(request, reply, oauthErrors.invalidRequest(`The sign-in form is not valid (${outcome.reason}): load the page again.`));
          }
          return page(
            400,
            outcome.reason === 'no-browser-key'
              ? 'This browser did not send back the sign-in page\u2019s cookie: allow cookies for this site, then sign in.'
              : 'The sign-in page had expired or was not this one: please sign in again.',
          );
        case 'busy':
          request.log.warn({ client }, 'sign-in refused: every password check of this process is busy');
          reply.header('retry-after', '5');
          return page(503, 'Too many sign-ins are being checked right now: please try again in a few seconds.');
        case 'throttled':
          request.log.info({ client, reason: 'throttled', account: outcome.accountId }, 'sign-in refused');
          reply.header('retry-after', String(outcome.retryAfter));
          return page(429, `Too many wrong passwords for this account: try again in ${outcome.retryAfter} seconds.`);
        case 'refused':
          // Never the typed address: it may be a password typed into the wrong field.
          request.log.info({ client, reason: outcome.reason }, 'sign-in refused');
          return page(200, WRONG);
      }
    },
  });
}
