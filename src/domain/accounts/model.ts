/**
 * A person who signs in with the built-in issuer (docs/sign-in.md). `id` is the `sub` of their
 * tokens: what iTwin membership is granted to.
 */
export interface Account {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly createdAt: string;
}

/** An account with what signing in checks: its password hash and its recent failures. */
export interface AccountCredentials {
  readonly account: Account;
  /** `scrypt$…` (password.ts): salt, parameters and hash, never the password. */
  readonly passwordHash: string;
  /** Wrong passwords since the last successful sign-in. */
  readonly failedSignIns: number;
  readonly lastFailedAt: string | null;
}
