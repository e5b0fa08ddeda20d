import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizationRequest } from '../../../domain/sign-in/authorization-request.js';
import type { OAuthFailure } from '../../../domain/sign-in/oauth-errors.js';
import { consentHeaders, escapeHtml, htmlPage, prefersHtml } from '../authorization/consent-html.js';

/** The cookie that holds the browser's key of the sign-in form (domain/sign-in/sign-in-forms.ts). */
export const BROWSER_KEY_COOKIE = 'twinsync_sign_in';

export interface SignInPage {
  request: AuthorizationRequest;
  formToken: string;
  /** What to fill the address field with (what was typed, or the request's login_hint). */
  email?: string;
  /** Why the last attempt failed, in words for the person. */
  message?: string;
}

/**
 * The sign-in page: one form, labelled fields, the error (if any) announced to screen readers and
 * tied to the fields, focus where typing goes next; self-contained (inline style, no script, nothing
 * external), everything interpolated escaped. The form has no action, so it posts to the very URL the
 * page was opened with: the authorization request travels in its query.
 */
export function signInPage(page: SignInPage): string {
  const returnTo = new URL(page.request.redirectUri);
  const error = page.message ? `<p class="error" role="alert" id="sign-in-error">${escapeHtml(page.message)}</p>\n` : '';
  const described = page.message ? ' aria-describedby="sign-in-error" aria-invalid="true"' : '';
  const focusEmail = !page.email;
  return shell(
    'Sign in',
    `<h1>Sign in to twinsync</h1>
<p class="small">for <strong>${escapeHtml(page.request.clientId)}</strong>, which then returns you to <strong>${escapeHtml(returnTo.host)}</strong></p>
${error}<form method="post">
<input type="hidden" name="form_token" value="${escapeHtml(page.formToken)}">
<label for="email">E-mail address</label>
<input id="email" name="email" type="text" inputmode="email" autocomplete="username" autocapitalize="none" spellcheck="false" required${
      focusEmail ? ' autofocus' : ''
    }${described} value="${escapeHtml(page.email ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${focusEmail ? '' : ' autofocus'}${described}>
<button type="submit">Sign in</button>
</form>`,
  );
}

/** A request the page cannot serve (unknown client, unregistered redirect URI…): said here, never redirected. */
export function signInErrorPage(failure: OAuthFailure): string {
  return shell(
    'Sign-in failed',
    `<h1>This sign-in link cannot be used</h1>
<p role="alert">${escapeHtml(failure.description)}</p>
<p class="small">${escapeHtml(failure.error)}. Go back to the application and start signing in again; if this happens again, its configuration does not match this server's.</p>`,
  );
}

/** The sign-in page's own look: a narrow form. */
const SIGN_IN_STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1d21}
main{max-width:26rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin-top:0}
label{display:block;font-weight:600;margin-top:1rem}
input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;margin-top:.25rem;border:1px solid #6b7280;border-radius:4px}
input:focus,button:focus{outline:3px solid #0a6ed1;outline-offset:2px}
button{font:inherit;margin-top:1.5rem;padding:.5rem 1.25rem;border:1px solid #0a6ed1;border-radius:4px;background:#0a6ed1;color:#fff;cursor:pointer}
.error{background:#fdecee;color:#8a0010;border-left:4px solid #c4001a;padding:.5rem .75rem;border-radius:4px}
.small{color:#4b5260;font-size:.9rem}
`;

function shell(title: string, body: string): string {
  return htmlPage(title, SIGN_IN_STYLE, body);
}

/**
 * Sends the page with the headers of every sign-in answer: never cached, never framed, no Referer,
 * and a CSP whose `form-action` allows the redirect to the client that follows a successful post.
 */
export function sendPage(reply: FastifyReply, status: number, html: string, redirectUri?: string): FastifyReply {
  return consentHeaders(reply, redirectUri).status(status).type('text/html; charset=utf-8').send(html);
}

/**
 * An error that must not be redirected: the page for a browser (it asks for HTML), OAuth's JSON
 * error shape for anything else (scripts, tests, OAuth libraries probing).
 */
export function sendShownError(request: FastifyRequest, reply: FastifyReply, failure: OAuthFailure): FastifyReply {
  if (prefersHtml(request)) return sendPage(reply, failure.status, signInErrorPage(failure));
  return consentHeaders(reply).status(failure.status).send({ error: failure.error, error_description: failure.description });
}

/** The browser key the form's cookie holds, if any. */
export function browserKeyOf(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === BROWSER_KEY_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Sets the browser key: for the sign-in paths only, unreadable by scripts, not sent with posts from
 * other sites (SameSite=Lax: it is sent when another site links here, so the page keeps the key),
 * over TLS only when the service is reached over TLS.
 */
export function setBrowserKey(reply: FastifyReply, key: string, maxAgeSeconds: number, secure: boolean): FastifyReply {
  return reply.header(
    'set-cookie',
    `${BROWSER_KEY_COOKIE}=${key}; Path=/connect/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  );
}
