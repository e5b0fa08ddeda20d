import type { Account, AccountCredentials } from './model.js';

/**
 * The built-in issuer's accounts, in the store so that every API process of a deployment knows the
 * same people (implemented in src/store/repositories/accounts.ts). Addresses are matched in any case.
 */
export interface AccountRepository {
  /** Every account, by address. */
  list(): Promise<Account[]>;
  count(): Promise<number>;
  find(id: string): Promise<Account | undefined>;
  findByEmail(email: string): Promise<Account | undefined>;
  credentials(email: string): Promise<AccountCredentials | undefined>;
  /** Adds the account unless one has its address (in any case): false then, and nothing changes. */
  insert(account: Account, passwordHash: string): Promise<boolean>;
  /** False when there was no such account. */
  delete(id: string): Promise<boolean>;
  /** Replaces the password hash and forgets failed sign-ins; false when there is no such account. */
  setPassword(id: string, passwordHash: string, at: string): Promise<boolean>;
  /** One more wrong password, at `at`. */
  recordFailure(id: string, at: string): Promise<void>;
  /** A successful sign-in: the count of wrong passwords starts again. */
  clearFailures(id: string): Promise<void>;
}
