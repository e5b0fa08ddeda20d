import type { Permission } from './permissions.js';

/** A role of an iTwin: a named set of permissions, held by members. */
export interface Role {
  id: string;
  iTwinId: string;
  displayName: string;
  description: string;
  permissions: Permission[];
  createdAt: string;
}

/** An e-mail address nobody is known by, invited to an iTwin with roles or as owner. */
export interface Invitation {
  id: string;
  iTwinId: string;
  email: string;
  roleIds: string[];
  owner: boolean;
  /** The subject of whoever invited. */
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}
