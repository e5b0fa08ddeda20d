import type { Config } from '../../../config.js';

/**
 * Headers of the page itself (index.html). The page holds a bearer token in its session storage, so
 * what it may load and talk to is pinned: its own scripts and styles only (no CDN, nothing inline
 * but style attributes, which the design system sets), API calls to this service and to the
 * OpenID provider it signs in with (and the object store, where downloads are redirected there), no framing (clickjacking), and no Referer (the address bar
 * carries an authorization code for a moment after sign-in).
 */
export function pageHeaders(config: Config): Record<string, string> {
  const origins = new Set([new URL(config.publicUrl).origin]);
  try {
    origins.add(new URL(config.auth.issuer).origin);
  } catch {
    // An issuer that is not a URL has no discovery document to fetch anyway.
  }
  // BLOB_DOWNLOADS=redirect: a diagnostic report's URL answers 302 to the object store, which the page then reads.
  const s3 = config.blobStore.s3;
  if (s3 && config.blobStore.downloads === 'redirect') origins.add(s3.endpoint ? new URL(s3.endpoint).origin : 'https://*.amazonaws.com');
  const connect = ["'self'", ...origins].join(' ');
  return {
    'content-security-policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src ${connect}`,
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}
