import { createHash } from 'node:crypto';

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

/**
 * The domain of the addresses the built-in issuer gives the subjects of its tokens that have none of
 * their own (a client added without `--email`, the default client): every user the service knows
 * then has an address (docs/access-control.md, "Users"). `.localhost` is reserved (RFC 6761): no
 * mail goes anywhere, and nobody outside can own it. Accounts cannot take an address there.
 */
export const BUILTIN_ADDRESS_DOMAIN = 'clients.twinsync.localhost';

/**
 * The built-in issuer's address for a subject: the subject itself as local part when it is lower-case
 * letters, digits, `.`, `_` and `-` (so that two subjects never share one: addresses are compared
 * without case), otherwise `sub-` and a hash of it.
 */
export function builtinAddressOf(subject: string): string {
  const plain = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(subject) && subject.length <= 64;
  return `${plain ? subject : `sub-${createHash('sha256').update(subject).digest('hex').slice(0, 32)}`}@${BUILTIN_ADDRESS_DOMAIN}`;
}
