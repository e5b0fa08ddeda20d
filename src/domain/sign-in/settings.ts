/** Lifetimes of what sign-in hands out (src/config.ts reads them). */
export interface SignInSettings {
  /** An authorization code: redeemed at once by the client it was sent to, so a minute is plenty. */
  readonly codeTtlSeconds: number;
  /** A refresh token, each time one is issued: how long a signed-in page may stay unused. */
  readonly refreshTokenTtlSeconds: number;
  /** A sign-in, however often it is refreshed: then the password is asked again. */
  readonly sessionMaxSeconds: number;
}

export const DEFAULT_SIGN_IN_SETTINGS: SignInSettings = Object.freeze({
  codeTtlSeconds: 60,
  refreshTokenTtlSeconds: 14 * 24 * 3600,
  sessionMaxSeconds: 30 * 24 * 3600,
});

export const iso = (ms: number): string => new Date(ms).toISOString();
