import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import { errors } from '../errors.js';
import { isEmailAddress } from '../users/model.js';

const MAX_NAME = 255;
const MAX_DESCRIPTION = 1024;
/** At most this many users, and IMS groups, in a group, as the platform documents. */
export const MAX_GROUP_ENTRIES = 50;

/** Create a group: `{"name","description"}`, both required. */
export const GROUP_BODY = { name: true, description: true } as const satisfies BodyDeclaration;
/** Update a group: any of `name`, `description`, `members` (addresses) and `imsGroups`, the lists replacing the group's. */
export const GROUP_UPDATE_BODY = { name: true, description: true, members: true, imsGroups: true } as const satisfies BodyDeclaration;
const GROUP_MEMBER = { groupId: true, roleIds: true } as const satisfies BodyDeclaration;
/** Add groups as members: `{"members":[{"groupId","roleIds"}]}`. */
export const GROUP_MEMBERS_BODY = { members: [GROUP_MEMBER] } as const satisfies BodyDeclaration;

export interface GroupUpdate {
  name?: string;
  description?: string;
  members?: string[];
  imsGroups?: string[];
}

export function parseNewGroup(body: unknown): { name: string; description: string } {
  const fields = new BodyFields(body, GROUP_BODY);
  const name = fields.string('name', { required: true, maxLength: MAX_NAME });
  if (name === '') fields.invalid('name', 'name must not be empty.');
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  // An empty description is a description; only its absence is missing.
  if (fields.readable && fields.raw('description') == null) fields.missing('description');
  if (fields.details.length > 0 || !name || typeof description !== 'string') throw errors.invalidGroupRequest(fields.details);
  return { name, description };
}

function stringList(
  fields: BodyFields<typeof GROUP_UPDATE_BODY>,
  name: 'members' | 'imsGroups',
  what: string,
  check: (s: string) => boolean,
): string[] | undefined {
  const raw = fields.raw(name);
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== 'string' || s.length > 254 || !check(s))) {
    fields.invalid(name, `${name} must be an array of ${what}.`);
    return undefined;
  }
  if (raw.length > MAX_GROUP_ENTRIES) {
    fields.invalid(name, `At most ${MAX_GROUP_ENTRIES} ${what} can be given.`);
    return undefined;
  }
  return [...new Set(raw as string[])];
}

export function parseGroupUpdate(body: unknown): GroupUpdate {
  const fields = new BodyFields(body, GROUP_UPDATE_BODY);
  const name = fields.string('name', { maxLength: MAX_NAME });
  if (name === '') fields.invalid('name', 'name must not be empty.');
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  const members = stringList(fields, 'members', 'e-mail addresses', isEmailAddress);
  const imsGroups = stringList(fields, 'imsGroups', 'IMS group names', (s) => s.trim() !== '');
  if (fields.details.length > 0) throw errors.invalidGroupRequest(fields.details);
  return {
    ...(name ? { name } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    ...(members ? { members } : {}),
    ...(imsGroups ? { imsGroups } : {}),
  };
}

export function parseNewGroupMembers(body: unknown): { groupId: string; roleIds: string[] }[] {
  const fields = new BodyFields(body, GROUP_MEMBERS_BODY);
  const raw = fields.raw('members');
  const wanted: { groupId: string; roleIds: string[] }[] = [];
  if (raw === undefined || raw === null) {
    if (fields.readable) fields.missing('members');
  } else if (!Array.isArray(raw) || raw.length === 0) {
    fields.invalid('members', 'members must be a non-empty array.');
  } else {
    raw.forEach((entry, i) => {
      const member = new BodyFields(entry, GROUP_MEMBER, `members[${i}].`);
      const groupId = member.string('groupId', { required: true, maxLength: 255 });
      const roleIds = member.raw('roleIds');
      if (roleIds == null) {
        if (member.readable) member.missing('roleIds');
      } else if (
        !Array.isArray(roleIds) ||
        roleIds.length === 0 ||
        roleIds.length > 50 ||
        roleIds.some((id) => typeof id !== 'string' || id === '' || id.length > 255)
      ) {
        member.invalid('roleIds', 'roleIds must be a non-empty array of at most 50 role ids.');
      }
      fields.details.push(...member.details);
      if (groupId && member.details.length === 0) wanted.push({ groupId, roleIds: [...new Set(roleIds as string[])] });
    });
    if (wanted.reduce((n, m) => n + m.roleIds.length, 0) > 50) fields.invalid('members', 'At most 50 role assignments can be made in one request.');
  }
  if (fields.details.length > 0) throw errors.invalidGroupRequest(fields.details);
  // The same group twice counts once, with the union of its roles.
  const byId = new Map<string, string[]>();
  for (const m of wanted) byId.set(m.groupId, [...new Set([...(byId.get(m.groupId) ?? []), ...m.roleIds])]);
  return [...byId].map(([groupId, roleIds]) => ({ groupId, roleIds }));
}
