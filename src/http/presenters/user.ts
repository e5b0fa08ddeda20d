import type { User } from '../../domain/users/model.js';

/** What twinsync knows of a user is its subject, address and names; every other field of the Users API is null. */
export function presentUser(u: User) {
  return {
    id: u.subject,
    displayName: u.displayName ?? u.email ?? u.subject,
    givenName: u.givenName ?? null,
    surname: u.surname ?? null,
    email: u.email,
    alternateEmail: null,
    organizationName: null,
    phone: null,
    city: null,
    country: null,
    language: null,
    createdDateTime: null,
  };
}
