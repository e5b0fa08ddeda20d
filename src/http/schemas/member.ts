import { Type } from 'typebox';
import { CollectionLinks } from './source-file.js';

const UserId = (description: string) => Type.String({ maxLength: 255, description });

/**
 * Either shape: `members` (then a top-level `userId` is not read) or the `userId` shorthand.
 * Enforced by domain/members/members-body.ts; test/integration/body-contract.test.ts keeps the two alike.
 */
export const MembersAdd = Type.Union(
  [
    Type.Object({ members: Type.Array(Type.Object({ userId: UserId('The sub of the user’s tokens.') }), { minItems: 1, maxItems: 100 }) }),
    Type.Object({ userId: UserId('Shorthand for one member: the sub of the user’s tokens.') }),
  ],
  { description: 'Users are named by the `sub` of their tokens, not by email. Role ids are accepted and ignored.' },
);

export const Member = Type.Object({
  id: Type.String({ description: 'The member’s user id (token `sub`); also the memberId of its URL.' }),
  userId: Type.String(),
  createdDateTime: Type.String(),
});

export const MembersResponse = Type.Object({ members: Type.Array(Member) });
export const MemberResponse = Type.Object({ member: Member });
export const MemberList = Type.Object({ members: Type.Array(Member), _links: CollectionLinks });
export const MemberParams = Type.Object({ iTwinId: Type.String(), memberId: Type.String() });
