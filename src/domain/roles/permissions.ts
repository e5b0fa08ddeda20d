/**
 * The permissions a role may grant, by the platform's documented names (docs/access-control.md says
 * which operation needs which). Owners have all of them.
 */
export const PERMISSIONS = [
  'administration_invite_member',
  'administration_remove_member',
  'administration_manage_roles',
  'administration_manage_groups',
  'itwins_read',
  'itwins_modify',
  'imodels_webview',
  'imodels_read',
  'imodels_write',
  'imodels_manage',
  'imodels_delete',
  'storage_read',
  'storage_write',
  'storage_delete',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(PERMISSIONS);
export function isPermission(value: string): value is Permission {
  return KNOWN.has(value);
}

/** What a member may do in an iTwin, as its row holds it: owner, or the permissions of its roles. */
export interface MemberAccess {
  readonly owner: boolean;
  /** `,a,b,`: the union of the member's roles' permissions (`,` for none). */
  readonly permissions: string;
}

export function grants(access: MemberAccess, permission: Permission): boolean {
  return access.owner || access.permissions.includes(`,${permission},`);
}

export function permissionsOf(access: MemberAccess): Permission[] {
  return access.owner ? [...PERMISSIONS] : PERMISSIONS.filter((p) => access.permissions.includes(`,${p},`));
}

/** The stored form of a set of permissions (see MemberAccess.permissions). */
export function permissionList(permissions: Iterable<string>): string {
  const sorted = [...new Set(permissions)].sort();
  return sorted.length === 0 ? ',' : `,${sorted.join(',')},`;
}
