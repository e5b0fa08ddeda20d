import type { Role } from '../roles/model.js';

/** An iTwin's group of users (Access Control v2). `imsGroups` are kept and shown; they grant nothing here. */
export interface Group {
  id: string;
  iTwinId: string;
  name: string;
  description: string;
  imsGroups: string[];
  createdAt: string;
}

/** A user of a group: its token subject and the address it is known by, if any. */
export interface GroupUser {
  subject: string;
  email: string | null;
}

/** A group that is a member of its iTwin, with the roles it holds there. */
export interface GroupMember {
  group: Group;
  createdAt: string;
  roles: Role[];
}
