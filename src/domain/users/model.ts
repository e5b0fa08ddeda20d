/**
 * A user the service has seen: the `sub` of its tokens, and the e-mail address and names it was last
 * seen with (the token's `email`, `name`, `given_name`, `family_name`); null when it came without.
 */
export interface User {
  subject: string;
  email: string | null;
  displayName?: string | null;
  givenName?: string | null;
  surname?: string | null;
}
