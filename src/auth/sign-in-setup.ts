import { AccountProblem } from '../domain/accounts/account-fields.js';
import { createAccount } from '../domain/accounts/create-account.js';
import type { Passwords } from '../domain/accounts/password.js';
import type { Store } from '../domain/store.js';
import type { ClientRegistry } from './client-registry.js';
import { webClient } from './clients.js';

/**
 * Marks, in `deployment_secrets` (named values written once), that a deployment's sign-in was set
 * up: its value is when. It is no secret; that table is where a deployment keeps such values.
 */
export const SIGN_IN_SET_UP = 'sign-in-set-up';

export interface FirstAccount {
  readonly email: string;
  /** The password made for it, to be shown once; absent when it came from AUTH_ADMIN_PASSWORD. */
  readonly generatedPassword?: string;
}

/**
 * Once per deployment (the first start of a release with sign-in, on a new or an existing store):
 * adds the web application's public client, and, if the deployment has no account, a first account
 * (`admin.email`, with `admin.password` or a random password returned to be shown once), so that
 * `npm ci && npm start` lets a person sign in with nothing else to do. Several processes may start
 * together: every write is insert-if-absent, only one of them makes the account, and the deployment
 * is marked set up last, so a start that fails half-way is finished by the next one. A client or
 * account removed later is not made again.
 */
export async function setUpSignIn(
  store: Store,
  registry: ClientRegistry,
  passwords: Passwords,
  publicUrl: string,
  admin: { email: string; password?: string },
): Promise<{ firstAccount?: FirstAccount }> {
  if ((await store.deployment.findSecret(SIGN_IN_SET_UP)) !== undefined) return {};
  const now = new Date().toISOString();
  if (await store.deployment.insertClient(webClient(publicUrl), now)) await registry.refresh();
  let firstAccount: FirstAccount | undefined;
  if ((await store.accounts.count()) === 0) {
    try {
      const made = await createAccount(store, passwords, { email: admin.email, password: admin.password });
      firstAccount = { email: made.account.email, ...(made.generated ? { generatedPassword: made.password } : {}) };
    } catch (error) {
      // Another process starting at the same moment made it.
      if (!(error instanceof AccountProblem)) throw error;
    }
  }
  await store.deployment.secretOrInsert(SIGN_IN_SET_UP, now, now);
  return firstAccount ? { firstAccount } : {};
}
