import type { Page } from '../paging.js';
import type { Group, GroupMember } from './model.js';

/** Groups, their users, and groups as members holding roles (migration 0017). */
export interface GroupRepository {
  insert(group: Group): Promise<void>;
  find(itwinId: string, groupId: string): Promise<Group | undefined>;
  list(itwinId: string, page: Page): Promise<Group[]>;
  update(group: Group): Promise<void>;
  /** Deletes the group (and its membership); the permissions of its users are recomputed. */
  delete(itwinId: string, groupId: string): Promise<void>;
  /** The subjects in each group, by subject (a stable order). */
  usersOf(groupIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Replaces the group's users; the permissions of those leaving and joining are recomputed. */
  setUsers(itwinId: string, groupId: string, subjects: readonly string[]): Promise<void>;
  findMember(itwinId: string, groupId: string): Promise<GroupMember | undefined>;
  listMembers(itwinId: string, page: Page): Promise<GroupMember[]>;
  /** Makes the group a member (if not yet) holding exactly these roles; its users' permissions follow. */
  setMemberRoles(itwinId: string, groupId: string, roleIds: readonly string[], now: string): Promise<void>;
  /** The group stops being a member; its users' permissions follow. */
  removeMember(itwinId: string, groupId: string): Promise<boolean>;
}
