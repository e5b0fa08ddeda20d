import { nowIso } from '../clock.js';
import type { Store } from '../store.js';
import { AccountProblem } from './account-fields.js';
import { generatePassword, passwordProblem, type Passwords } from './password.js';

/**
 * Gives an account a new password (a random one when none is given, returned to be shown once) and
 * ends its sign-ins elsewhere: its refresh tokens are revoked, as whoever knew the old password may
 * hold some. False when there is no such account.
 */
export async function setPassword(store: Store, passwords: Passwords, id: string, given?: string): Promise<{ password: string } | undefined> {
  const password = given ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new AccountProblem(problem);
  const hash = await passwords.hash(password);
  const changed = await store.write(async (tx) => {
    if (!(await tx.accounts.setPassword(id, hash, nowIso()))) return false;
    await tx.signIn.revokeSubject(id);
    return true;
  });
  return changed ? { password } : undefined;
}
