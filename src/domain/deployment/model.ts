/**
 * An OAuth client of the built-in issuer, as the deployment keeps it. A confidential client (with a
 * secret) gets tokens of its own with client_credentials, and may sign people in; a public client (no
 * secret: a web page or a native app, which cannot keep one, RFC 6749 §2.1) only signs people in, with
 * PKCE (docs/sign-in.md).
 */
export interface OAuthClient {
  clientId: string;
  /** Absent for a public client. */
  clientSecret?: string;
  /** The `sub` of its client_credentials tokens: the identity iTwin membership is granted to. */
  subject: string;
  /** Scopes it may ask for; also what it gets when it asks for none. */
  scopes: string[];
  /**
   * Where sign-in may send authorization codes (exact URLs), and where the consent page may send a
   * browser back to after consent asked for by this client's tokens (loopback addresses are always
   * allowed there: docs/decisions.md).
   */
  redirectUris?: string[];
  /** Its e-mail address: carried by its tokens (`email`), so that it can be added to iTwins by address. */
  email?: string;
}

/** A named secret of the deployment and whether this call is the one that stored it. */
export interface SecretOutcome {
  value: string;
  /** True when `value` is the candidate this caller offered (the deployment had none before). */
  inserted: boolean;
}
