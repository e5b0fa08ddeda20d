import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../../domain/errors.js';
import type { ConsentRequest } from '../../../domain/consent/get-consent-request.js';

/**
 * The consent page and its error page: self-contained HTML (inline style, no script, nothing
 * external), everything interpolated is escaped. The form has no action, so it posts to the very URL
 * the page was opened with, ticket included.
 */
export function consentPage(request: ConsentRequest): string {
  const returnTo = new URL(request.redirectUrl);
  return page(
    'Allow synchronization on your behalf?',
    `<h1>Allow synchronization on your behalf?</h1>
<p>twinsync asks to run synchronization of storage connections whose <code>authenticationType</code> is
<code>User</code> on behalf of <strong class="user">${escapeHtml(request.subject)}</strong>, also while you are away.</p>
${request.alreadyAuthorized ? '<p class="note">You have consented before: approving again renews your consent.</p>\n' : ''}<p>Afterwards your browser returns to <strong>${escapeHtml(returnTo.host)}</strong>:<br><code class="url">${escapeHtml(request.redirectUrl)}</code></p>
<form method="post">
<button type="submit" name="decision" value="approve" class="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p class="small">This link is valid until ${escapeHtml(new Date(request.expires * 1000).toISOString())}.</p>`,
  );
}

export function errorPage(error: ApiError): string {
  return page(
    'Authorization failed',
    `<h1>This authorization URL cannot be used</h1>
<p>${escapeHtml(error.message)}</p>
${(error.details ?? []).map((d) => `<p>${escapeHtml(d.message)}</p>`).join('\n')}
<p class="small">${escapeHtml(error.code)}</p>`,
  );
}

/** The consent page's own look: wider than the sign-in page, for the URLs it shows. */
const CONSENT_STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1d21}
main{max-width:34rem;margin:4rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.3rem;margin-top:0}
code{background:#eef0f3;padding:0 .25em;border-radius:3px;word-break:break-all}
.note{background:#e8f4ea;padding:.5rem .75rem;border-radius:4px}
.small{color:#5c6370;font-size:.85rem}
button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem;border:1px solid #8a919c;border-radius:4px;background:#fff;cursor:pointer}
button.approve{background:#0a6ed1;border-color:#0a6ed1;color:#fff}
`;

function page(title: string, body: string): string {
  return htmlPage(title, CONSENT_STYLE, body);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * A page of twinsync's own (consent, sign-in): a small, self-contained document, no script, no
 * asset from anywhere, no referrer sent on, each page with its own stylesheet.
 */
export function htmlPage(title: string, style: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · twinsync</title>
<style>
${style}</style>
</head>
<body><main>
${body}
</main></body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Headers of every consent response: never cached, never framed (clickjacking), the ticket never
 * leaked in a Referer to the redirect target. `form-action` allows the redirect that follows the post.
 */
export function consentHeaders(reply: FastifyReply, redirectUrl?: string): FastifyReply {
  const formAction = redirectUrl ? `'self' ${new URL(redirectUrl).origin}` : "'self'";
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`);
}

/** A browser (it asks for HTML) gets an error page; scripts and API clients get the JSON error envelope. */
export function prefersHtml(request: FastifyRequest): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? '');
}

/** Renders an ApiError as the HTML error page when the caller is a browser; otherwise rethrows it for the JSON renderer. */
export function sendConsentError(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof ApiError) || !prefersHtml(request)) throw error;
  return consentHeaders(reply).status(error.status).type('text/html; charset=utf-8').send(errorPage(error));
}
