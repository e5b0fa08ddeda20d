import { randomUUID } from 'node:crypto';
import { nowIso } from '../clock.js';
import type { Store } from '../store.js';
import { AccountProblem, checkEmail, checkName } from './account-fields.js';
import type { Account } from './model.js';
import { generatePassword, passwordProblem, type Passwords } from './password.js';

export interface NewAccount {
  email: string;
  /** Shown on pages and in the Users API; given name and surname, or the address's local part, when absent. */
  displayName?: string;
  givenName?: string;
  surname?: string;
  /** A random one is made when absent (and returned, to be shown once). */
  password?: string;
}

/**
 * Adds an account to the built-in issuer. Its id (the `sub` of its tokens) is a new GUID, never
 * reused: a removed account's memberships cannot pass to a new account of the same address.
 */
export async function createAccount(
  store: Store,
  passwords: Passwords,
  input: NewAccount,
): Promise<{ account: Account; password: string; generated: boolean }> {
  const email = checkEmail(input.email);
  const givenName = checkName(input.givenName, 'given name');
  const surname = checkName(input.surname, 'surname');
  const displayName = checkName(input.displayName, 'display name') ?? ([givenName, surname].filter(Boolean).join(' ') || email.split('@')[0]!);
  const password = input.password ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new AccountProblem(problem);
  const account: Account = { id: randomUUID(), email, displayName, givenName, surname, createdAt: nowIso() };
  if (!(await store.accounts.insert(account, await passwords.hash(password)))) throw new AccountProblem(`an account with the address ${email} exists already`);
  return { account, password, generated: input.password === undefined };
}
