/** An OAuth client of the built-in issuer (client_credentials grant), as the deployment keeps it. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** The `sub` of its tokens: the identity iTwin membership is granted to. */
  subject: string;
  /** Scopes it may ask for; also what it gets when it asks for none. */
  scopes: string[];
  /**
   * Where the consent page may send a browser back to after consent asked for by this client's
   * tokens (exact URLs). Loopback addresses are always allowed (docs/decisions.md).
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
