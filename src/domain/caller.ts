/** Who is calling, as established from a verified access token. */
export interface Caller {
  /** `sub`: the user (or service principal) iTwin membership is granted to. */
  readonly subject: string;
  /** `client_id` or `azp`: the OAuth client, the unit of rate limiting. */
  readonly clientId: string | undefined;
  readonly scopes: ReadonlySet<string>;
  /** The token's `email` claim, when it has one: how the user can be added to iTwins by address. */
  readonly email?: string;
}
