import type { Store } from '../store.js';
import type { Account } from './model.js';
import type { Passwords } from './password.js';

/** Wrong passwords in a row an account may have before each further attempt must wait. */
export const FREE_FAILURES = 5;
/** The longest wait between attempts on one account, in seconds. */
export const MAX_WAIT_SECONDS = 60;

export type PasswordCheck =
  | { ok: true; account: Account }
  | { ok: false; reason: 'unknown-account' | 'wrong-password' }
  /** Too many wrong passwords lately: nothing was checked; try again after `retryAfter` seconds. */
  | { ok: false; reason: 'throttled'; accountId: string; retryAfter: number };

/**
 * Whether `password` is the password of the account of `email`. An unknown address costs the same
 * time as a known one (a decoy hash is checked), so the answer's time does not tell which addresses
 * have accounts. After FREE_FAILURES wrong passwords in a row, an account accepts one attempt per
 * 1, 2, 4 … up to MAX_WAIT_SECONDS seconds after the last failure, counted in the store so that every
 * API process enforces the same wait: guessing a password through the form becomes a matter of years,
 * while its owner waits at most a minute. An attempt within the wait is refused unchecked (the right
 * password too, or the refusal would tell it apart). A success starts the count again.
 */
export async function checkPassword(store: Store, passwords: Passwords, email: string, password: string, nowMs: number): Promise<PasswordCheck> {
  const found = await store.accounts.credentials(email.trim());
  if (!found) return passwords.verifyNothing(password).then(() => ({ ok: false, reason: 'unknown-account' }));
  const wait = waitAfter(found.failedSignIns, found.lastFailedAt, nowMs);
  if (wait > 0) return { ok: false, reason: 'throttled', accountId: found.account.id, retryAfter: wait };
  if (!(await passwords.verify(password, found.passwordHash))) {
    await store.accounts.recordFailure(found.account.id, new Date(nowMs).toISOString());
    return { ok: false, reason: 'wrong-password' };
  }
  if (found.failedSignIns > 0) await store.accounts.clearFailures(found.account.id);
  return { ok: true, account: found.account };
}

/** Seconds still to wait before the next attempt (0: none). */
function waitAfter(failures: number, lastFailedAt: string | null, nowMs: number): number {
  if (failures < FREE_FAILURES || lastFailedAt === null) return 0;
  const seconds = Math.min(MAX_WAIT_SECONDS, 2 ** (failures - FREE_FAILURES));
  return Math.max(0, Math.ceil((Date.parse(lastFailedAt) + seconds * 1000 - nowMs) / 1000));
}
