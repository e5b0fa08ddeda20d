/** Who is calling, as established from a verified access token. */
export interface Caller {
  /** `sub`: the user (or service principal) iTwin membership is granted to. */
  readonly subject: string;
  /** `client_id` or `azp`: the OAuth client, the unit of rate limiting. */
  readonly clientId: string | undefined;
  readonly scopes: ReadonlySet<string>;
  /**
   * When the token stops being accepted (epoch ms: `exp` plus the allowed clock skew), when known.
   * A request answered at once needs nothing more; what stays open on one token (an event stream)
   * ends then.
   */
  readonly expiresAtMs?: number;
  /** The token's `email` claim, when it has one: how the user can be added to iTwins by address. */
  readonly email?: string;
  /** The token's `name`, `given_name` and `family_name` claims, when it has them: what the Users API shows. */
  readonly name?: string;
  readonly givenName?: string;
  readonly surname?: string;
}
