import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthorizationRequest } from './authorization-request.js';

/** How long a sign-in page can be submitted after it was shown: time to find a password, not a day. */
export const SIGN_IN_FORM_TTL_SECONDS = 30 * 60;

/** Keeps these signatures apart from every other use of the deployment's secrets. */
const CONTEXT = 'twinsync-sign-in-form.v1\n';
const BROWSER_KEY = /^[A-Za-z0-9_-]{43}$/;
const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export type FormCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'forged' | 'no-browser-key' };

/**
 * Cross-site request forgery protection of the sign-in form. The page sets a random browser key in a
 * cookie and puts a form token in the form: `expiry "." HMAC(secret, browser key, request, expiry)`.
 * A post counts only with both, matching: another site can make a browser post, but can neither read
 * the page's token nor set this site's cookie. The token is also bound to the authorization request
 * the page was shown for, so it cannot be replayed against another one. Every process of a
 * deployment shares the secret (its store), so the page and the post may be served by different ones.
 */
export class SignInForms {
  private constructor(
    private readonly secret: Buffer,
    readonly ttlSeconds: number,
  ) {}

  static fromSecret(secret: Buffer, ttlSeconds = SIGN_IN_FORM_TTL_SECONDS): SignInForms {
    if (secret.length < 32) throw new Error('The sign-in form secret must be at least 32 bytes.');
    return new SignInForms(secret, ttlSeconds);
  }

  /** The browser's key when it sent a well-formed one, otherwise a new one to set. */
  browserKey(fromCookie: string | undefined): { key: string; isNew: boolean } {
    if (fromCookie !== undefined && BROWSER_KEY.test(fromCookie)) return { key: fromCookie, isNew: false };
    return { key: randomBytes(32).toString('base64url'), isNew: true };
  }

  issue(browserKey: string, request: AuthorizationRequest, nowMs: number): string {
    const expires = Math.floor(nowMs / 1000) + this.ttlSeconds;
    return `${expires}.${this.mac(browserKey, request, expires)}`;
  }

  verify(token: unknown, browserKey: string | undefined, request: AuthorizationRequest, nowMs: number): FormCheck {
    if (token === undefined || token === '') return { ok: false, reason: 'missing' };
    if (browserKey === undefined || !BROWSER_KEY.test(browserKey)) return { ok: false, reason: 'no-browser-key' };
    const match = typeof token === 'string' ? TOKEN.exec(token) : null;
    if (!match) return { ok: false, reason: 'malformed' };
    const expires = Number(match[1]);
    const expected = Buffer.from(this.mac(browserKey, request, expires));
    const given = Buffer.from(match[2]!);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'forged' };
    if (expires * 1000 <= nowMs) return { ok: false, reason: 'expired' };
    return { ok: true };
  }

  private mac(browserKey: string, request: AuthorizationRequest, expires: number): string {
    // Everything the code will be bound to; JSON keeps fields from running into each other.
    const bound = JSON.stringify([request.clientId, request.redirectUri, request.scopes, request.state ?? null, request.codeChallenge, request.nonce ?? null]);
    return createHmac('sha256', this.secret)
      .update(CONTEXT)
      .update(browserKey)
      .update('\n')
      .update(bound)
      .update('\n')
      .update(String(expires))
      .digest('base64url');
  }
}
