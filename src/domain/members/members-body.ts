import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import { errors } from '../errors.js';

export const MAX_MEMBERS_PER_REQUEST = 100;
const MAX_USER_ID = 255;

// `email` is read only to explain why it is refused (see readUserId).
const MEMBER = { userId: true, email: 'refusal-hint' } as const satisfies BodyDeclaration;
/** What an add-members body may hold (see BodyDeclaration): `members`, or `userId` alone. */
export const MEMBERS_BODY = { members: [MEMBER], ...MEMBER } as const satisfies BodyDeclaration;

/**
 * Who to add: `{"members":[{"userId":"<sub>"}, …]}` (the platform's shape, with the token `sub`
 * where Bentley has an email) or the shorthand `{"userId":"<sub>"}`. Role ids are accepted and
 * ignored: every member may do everything in the iTwin. Duplicates in one request count once.
 */
export function parseNewMembers(body: unknown): string[] {
  const fields = new BodyFields(body, MEMBERS_BODY);
  const userIds: string[] = [];
  const rawMembers = fields.raw('members');
  if (rawMembers !== undefined && rawMembers !== null) {
    if (!Array.isArray(rawMembers) || rawMembers.length === 0) {
      fields.invalid('members', 'members must be a non-empty array.');
    } else if (rawMembers.length > MAX_MEMBERS_PER_REQUEST) {
      fields.invalid('members', `At most ${MAX_MEMBERS_PER_REQUEST} members can be added in one request.`);
    } else {
      rawMembers.forEach((entry, i) => {
        const member = new BodyFields(entry, MEMBER, `members[${i}].`);
        const userId = readUserId(member);
        fields.details.push(...member.details);
        if (userId) userIds.push(userId);
      });
    }
  } else if (fields.readable) {
    const userId = readUserId(fields);
    if (userId) userIds.push(userId);
  }
  if (fields.details.length > 0) throw errors.invalidMemberRequest(fields.details);
  return [...new Set(userIds)];
}

function readUserId(fields: BodyFields<typeof MEMBER>): string | undefined {
  const userId = fields.string('userId', { required: true, maxLength: MAX_USER_ID });
  if (userId === undefined && fields.raw('email') !== undefined) {
    // A Bentley client naming users by email: say why that cannot work here.
    const last = fields.details[fields.details.length - 1];
    if (last) last.message = 'Required property is missing: twinsync names users by the sub of their tokens (userId), not by email.';
  }
  return userId;
}
