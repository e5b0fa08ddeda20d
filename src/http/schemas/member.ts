import { Type } from 'typebox';
import { CollectionLinks } from './source-file.js';

export const MembersAdd = Type.Object(
  {
    members: Type.Optional(Type.Array(Type.Object({ userId: Type.String({ description: 'The sub of the user’s tokens.' }) }), { maxItems: 100 })),
    userId: Type.Optional(Type.String({ description: 'Shorthand for one member.' })),
  },
  { description: 'Users are named by the `sub` of their tokens. Role ids are accepted and ignored.' },
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
