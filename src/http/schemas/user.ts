import { Type } from 'typebox';

const Nullable = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

/** The Users API's user: twinsync knows a user's id (token sub), address and names (as its tokens said); the rest is null. */
export const User = Type.Object({
  id: Type.String({ description: 'The sub of the user’s tokens.' }),
  displayName: Type.String({ description: 'The name of the user’s token (`name`), else the address, else the id.' }),
  givenName: Nullable('The `given_name` of the user’s token; null when none came.'),
  surname: Nullable('The `family_name` of the user’s token; null when none came.'),
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
