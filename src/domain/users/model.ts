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

/** Addresses are at most this long (RFC 5321's limit of a path). */
export const MAX_EMAIL = 254;
// Enough to refuse what cannot be an address; whether it reaches anyone is not ours to know.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Whether `value` is taken as an e-mail address: the one rule for addresses given in bodies (members,
 * owners, groups) and given to a built-in issuer's client, so that a client's address can always be
 * used to add it to an iTwin.
 */
export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_EMAIL && EMAIL.test(value);
}
