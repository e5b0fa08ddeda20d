/**
 * An authorization code as the store keeps it: by the SHA-256 of the code, bound to the client, the
 * redirect URI and the PKCE challenge of the request it answers (RFC 6749 §4.1, RFC 7636).
 */
export interface StoredCode {
  readonly codeHash: string;
  readonly clientId: string;
  readonly redirectUri: string;
  /** base64url(SHA-256(code_verifier)): only S256 is accepted. */
  readonly codeChallenge: string;
  /** The account that signed in. */
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly nonce: string | null;
  /** When the person typed their password (OpenID's `auth_time`). */
  readonly authTime: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
}

/**
 * A refresh token as the store keeps it: by its SHA-256. The tokens that follow one another from one
 * sign-in share `familyId`; each is used once (rotation), and a used one presented again revokes
 * the family.
 */
export interface StoredRefreshToken {
  readonly tokenHash: string;
  readonly familyId: string;
  readonly clientId: string;
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly authTime: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** When the sign-in ends, however often it is refreshed. */
  readonly sessionExpiresAt: string;
  readonly usedAt: string | null;
}

/** A client of the built-in issuer as sign-in sees it. */
export interface SignInClient {
  readonly clientId: string;
  /** A public client (a web page, a native app) has no secret: it proves nothing but PKCE. */
  readonly public: boolean;
  /** Where codes may be sent: exact URLs. */
  readonly redirectUris: readonly string[];
  /** The API scopes it may ask for (OpenID's own come on top). */
  readonly scopes: readonly string[];
}
