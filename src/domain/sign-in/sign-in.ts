import { checkPassword } from '../accounts/check-password.js';
import { PasswordChecksBusy, type Passwords } from '../accounts/password.js';
import type { Store } from '../store.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { issueCode } from './issue-code.js';
import type { SignInSettings } from './settings.js';
import type { FormCheck, SignInForms } from './sign-in-forms.js';

/** What the sign-in form sent, and the browser's key from its cookie. */
export interface SignInAttempt {
  readonly email: string;
  readonly password: string;
  readonly formToken: unknown;
  readonly browserKey: string | undefined;
}

export type SignInOutcome =
  /** Send the browser to `location` (the redirect URI with the code). */
  | { readonly kind: 'signed-in'; readonly location: string; readonly accountId: string }
  /** The form was not this browser's page's (or had expired): nothing was checked. */
  | { readonly kind: 'bad-form'; readonly reason: Exclude<FormCheck, { ok: true }>['reason'] }
  | { readonly kind: 'refused'; readonly reason: 'unknown-account' | 'wrong-password' }
  | { readonly kind: 'throttled'; readonly accountId: string; readonly retryAfter: number }
  /** Every password check of the process is taken: try again shortly. */
  | { readonly kind: 'busy' };

/**
 * A post of the sign-in form for a checked authorization request: the form's token against the
 * browser's key, then the password (sign-in-forms.ts, check-password.ts), then a code for the
 * request's redirect URI (issue-code.ts).
 */
export async function signIn(
  store: Store,
  passwords: Passwords,
  forms: SignInForms,
  request: AuthorizationRequest,
  attempt: SignInAttempt,
  issuer: string,
  settings: SignInSettings,
  nowMs: number,
): Promise<SignInOutcome> {
  const form = forms.verify(attempt.formToken, attempt.browserKey, request, nowMs);
  if (!form.ok) return { kind: 'bad-form', reason: form.reason };
  let check: Awaited<ReturnType<typeof checkPassword>>;
  try {
    check = await checkPassword(store, passwords, attempt.email, attempt.password, nowMs);
  } catch (error) {
    if (error instanceof PasswordChecksBusy) return { kind: 'busy' };
    throw error;
  }
  if (!check.ok) {
    return check.reason === 'throttled'
      ? { kind: 'throttled', accountId: check.accountId, retryAfter: check.retryAfter }
      : { kind: 'refused', reason: check.reason };
  }
  const { location } = await issueCode(store, request, check.account, issuer, settings, nowMs);
  return { kind: 'signed-in', location, accountId: check.account.id };
}
