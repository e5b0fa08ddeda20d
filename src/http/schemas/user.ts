import { Type } from 'typebox';

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

/** The Users API's user: twinsync knows a user's id (token sub) and address only; the rest is null. */
export const User = Type.Object({
  id: Type.String({ description: 'The sub of the user’s tokens.' }),
  displayName: Type.String({ description: 'The address, or the id when no address is known.' }),
  givenName: Nullable('Not known to twinsync: null.'),
  surname: Nullable('Not known to twinsync: null.'),
  email: Nullable('The address of the token, or the last one the user was seen with; null when none ever was.'),
  alternateEmail: Nullable('Not known to twinsync: null.'),
  organizationName: Nullable('Not known to twinsync: null.'),
  phone: Nullable('Not known to twinsync: null.'),
  city: Nullable('Not known to twinsync: null.'),
  country: Nullable('Not known to twinsync: null.'),
  language: Nullable('Not known to twinsync: null.'),
  createdDateTime: Nullable('Not known to twinsync: null.'),
});
export const UserResponse = Type.Object({ user: User });
export const UserList = Type.Object({ users: Type.Array(User) });
export const UserIdList = Type.Array(Type.String({ minLength: 1, maxLength: 255 }), {
  minItems: 1,
  maxItems: 1000,
  description: 'A bare JSON array of user ids.',
});
export const UserSearchQuery = Type.Object({
  $search: Type.Optional(Type.String({ description: 'Required: 3 to 200 characters, matched in ids and addresses.' })),
});
