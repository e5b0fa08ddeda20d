import { BodyFields, type BodyDeclaration } from '../body-fields.js';
import { errors } from '../errors.js';
import { isPermission, type Permission } from '../roles/permissions.js';

const MAX_NAME = 255;
const MAX_DESCRIPTION = 1024;

/** Create a role: `{"displayName","description"}`, both required (permissions are given by an update). */
export const ROLE_BODY = { displayName: true, description: true } as const satisfies BodyDeclaration;
/** Update a role: any of `displayName`, `description`, `permissions` (which replace the role's). */
export const ROLE_UPDATE_BODY = { displayName: true, description: true, permissions: true } as const satisfies BodyDeclaration;

export function parseNewRole(body: unknown): { displayName: string; description: string } {
  const fields = new BodyFields(body, ROLE_BODY);
  const displayName = fields.string('displayName', { required: true, maxLength: MAX_NAME });
  // An empty description is a description; only its absence is missing.
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  if (fields.readable && (description === undefined || description === null) && fields.raw('description') == null) fields.missing('description');
  if (fields.details.length > 0 || displayName === undefined || typeof description !== 'string') throw errors.invalidRoleRequest(fields.details);
  return { displayName, description };
}

export function parseRoleUpdate(body: unknown): { displayName?: string; description?: string; permissions?: Permission[] } {
  const fields = new BodyFields(body, ROLE_UPDATE_BODY);
  const displayName = fields.string('displayName', { maxLength: MAX_NAME });
  if (displayName === '') fields.invalid('displayName', 'displayName must not be empty.');
  const description = fields.string('description', { maxLength: MAX_DESCRIPTION });
  const raw = fields.raw('permissions');
  let permissions: Permission[] | undefined;
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw) || raw.some((p) => typeof p !== 'string')) fields.invalid('permissions', 'permissions must be an array of permission names.');
    else {
      const unknown = raw.filter((p: string) => !isPermission(p));
      if (unknown.length > 0)
        fields.invalid('permissions', `Unknown permissions: ${unknown.slice(0, 5).join(', ')}. GET /accesscontrol/itwins/permissions lists them.`);
      else permissions = [...new Set(raw as Permission[])];
    }
  }
  if (fields.details.length > 0) throw errors.invalidRoleRequest(fields.details);
  return {
    ...(displayName ? { displayName } : {}),
    ...(typeof description === 'string' ? { description } : {}),
    ...(permissions ? { permissions } : {}),
  };
}
