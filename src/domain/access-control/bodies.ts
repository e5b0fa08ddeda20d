import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import type { ErrorDetail } from '../errors.js';
import { errors } from '../errors.js';
import { isEmailAddress, MAX_EMAIL } from '../users/model.js';

/** At most this many role assignments (users times roles) in one add request, as the platform allows. */
export const MAX_ROLE_ASSIGNMENTS = 50;
const MAX_ROLE_IDS = 50;

const USER_MEMBER = { email: true, roleIds: true } as const satisfies BodyDeclaration;
/** Add user members: `{"members":[{"email","roleIds"}], "customMessage"}` (the message is accepted; no e-mail is sent). */
export const USER_MEMBERS_BODY = { members: [USER_MEMBER], customMessage: true } as const satisfies BodyDeclaration;
/** Update a user member's (or a group member's) roles: `{"roleIds":[…]}`, which replace the ones held. */
export const MEMBER_ROLES_BODY = { roleIds: true } as const satisfies BodyDeclaration;
/** Add an owner: `{"email"}`. */
export const OWNER_BODY = { email: true } as const satisfies BodyDeclaration;

export interface NewUserMember {
  email: string;
  roleIds: string[];
}

function readEmail(fields: BodyFields<{ email: true }>): string | undefined {
  const email = fields.string('email', { required: true, maxLength: MAX_EMAIL });
  if (email !== undefined && !isEmailAddress(email)) {
    fields.invalid('email', 'email must be an e-mail address.');
    return undefined;
  }
  return email;
}

/** A non-empty array of distinct role ids; problems are added to `fields`. */
function readRoleIds(fields: BodyFields<{ roleIds: true }>): string[] | undefined {
  const raw = fields.raw('roleIds');
  if (raw === undefined || raw === null) {
    if (fields.readable) fields.missing('roleIds');
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((id) => typeof id !== 'string' || id === '' || id.length > 255)) {
    fields.invalid('roleIds', 'roleIds must be a non-empty array of role ids.');
    return undefined;
  }
  if (raw.length > MAX_ROLE_IDS) {
    fields.invalid('roleIds', `At most ${MAX_ROLE_IDS} roles can be given.`);
    return undefined;
  }
  return [...new Set(raw as string[])];
}

export function parseNewUserMembers(body: unknown): NewUserMember[] {
  const fields = new BodyFields(body, USER_MEMBERS_BODY);
  const members: NewUserMember[] = [];
  const raw = fields.raw('members');
  fields.string('customMessage', { maxLength: 2000 });
  if (raw === undefined || raw === null) {
    if (fields.readable) fields.missing('members');
  } else if (!Array.isArray(raw) || raw.length === 0) {
    fields.invalid('members', 'members must be a non-empty array.');
  } else {
    raw.forEach((entry, i) => {
      const member = new BodyFields(entry, USER_MEMBER, `members[${i}].`);
      const email = readEmail(member);
      const roleIds = readRoleIds(member);
      fields.details.push(...member.details);
      if (email && roleIds) members.push({ email, roleIds });
    });
    const assignments = members.reduce((n, m) => n + m.roleIds.length, 0);
    if (assignments > MAX_ROLE_ASSIGNMENTS) fields.invalid('members', `At most ${MAX_ROLE_ASSIGNMENTS} role assignments can be made in one request.`);
  }
  if (fields.details.length > 0) throw errors.invalidMemberRequest(fields.details);
  // The same address twice counts once, with the union of its roles.
  const byEmail = new Map<string, NewUserMember>();
  for (const m of members) {
    const key = m.email.toLowerCase();
    const seen = byEmail.get(key);
    byEmail.set(key, seen ? { email: seen.email, roleIds: [...new Set([...seen.roleIds, ...m.roleIds])] } : m);
  }
  return [...byEmail.values()];
}

export function parseMemberRoles(body: unknown): string[] {
  const fields = new BodyFields(body, MEMBER_ROLES_BODY);
  const roleIds = readRoleIds(fields);
  if (fields.details.length > 0 || !roleIds) throw errors.invalidMemberRequest(fields.details);
  return roleIds;
}

export function parseOwner(body: unknown): string {
  const fields = new BodyFields(body, OWNER_BODY);
  const email = readEmail(fields);
  if (fields.details.length > 0 || !email) throw errors.invalidMemberRequest(fields.details as ErrorDetail[]);
  return email;
}
