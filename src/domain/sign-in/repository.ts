import type { StoredCode, StoredRefreshToken } from './model.js';

/**
 * Authorization codes and refresh tokens of the built-in issuer, shared by every API process
 * (implemented in src/store/repositories/sign-in.ts): a code issued by one is redeemed at any other.
 * Both are single-use: `mark…Used` is a conditional update, so of two uses at once exactly one wins.
 */
export interface SignInRepository {
  /** Stores a code; codes expired before `sweepBefore` are deleted on the way. */
  insertCode(code: StoredCode, sweepBefore: string): Promise<void>;
  findCode(codeHash: string): Promise<StoredCode | undefined>;
  /** Marks the code used at `at`; false when it was used already. */
  markCodeUsed(codeHash: string, at: string): Promise<boolean>;
  /** Stores a refresh token; tokens expired before `sweepBefore` are deleted on the way. */
  insertRefreshToken(token: StoredRefreshToken, sweepBefore: string): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<StoredRefreshToken | undefined>;
  /** Marks the token used at `at`; false when it was used already. */
  markRefreshTokenUsed(tokenHash: string, at: string): Promise<boolean>;
  /** Deletes every refresh token of one sign-in; how many. */
  revokeFamily(familyId: string): Promise<number>;
  /** Deletes every refresh token of an account; how many. */
  revokeSubject(subject: string): Promise<number>;
}
