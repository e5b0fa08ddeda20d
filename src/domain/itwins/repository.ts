import type { Member } from '../members/model.js';
import type { Page } from '../paging.js';
import type { Invitation, Role } from '../roles/model.js';
import type { MemberAccess } from '../roles/permissions.js';
import type { ITwin } from './model.js';
import type { ITwinDataRepository } from './repositories/model.js';

/** Persistence of iTwins and their members, in domain terms (implemented in src/store/repositories/itwins.ts). */
export interface ITwinRepository {
  find(id: string): Promise<ITwin | undefined>;
  /** Stores a new iTwin (its root folder and first member are separate writes of the same transaction). */
  insert(itwin: ITwin): Promise<void>;
  /** Writes the iTwin's changeable properties (name, type, number, status, extra) as given. */
  update(itwin: ITwin): Promise<void>;
  /** Its members, folders and files go with it. */
  delete(id: string): Promise<void>;
  /**
   * Takes the iTwin's write lock for the rest of the transaction. Writes that must not interleave
   * (removing members, deleting the iTwin, adding iModels) take it first, so each sees what the
   * others committed. False when the iTwin is gone.
   */
  lock(id: string): Promise<boolean>;
  /** iTwins `subject` is a member of, oldest first (ties by id), one beyond the page. */
  listOf(subject: string, filter: { subClass?: string; includeInactive: boolean }, page: Page): Promise<ITwin[]>;

  /** Registered repositories (POST /itwins/{id}/repositories); they go with their iTwin. */
  insertRepository(repository: ITwinDataRepository): Promise<void>;
  /** Oldest first (ties by id); a filter given matches exactly (callers pass canonical names). */
  listRepositories(itwinId: string, filter: { class?: string; subClass?: string }): Promise<ITwinDataRepository[]>;
  /** False when no such repository is registered in this iTwin. */
  deleteRepository(itwinId: string, id: string): Promise<boolean>;

  isMember(itwinId: string, subject: string): Promise<boolean>;
  /** Whether `subject` is a member, and with which permissions: one read of the member's row. */
  accessOf(itwinId: string, subject: string): Promise<MemberAccess | undefined>;
  findMember(itwinId: string, subject: string): Promise<Member | undefined>;
  /** False when `member.userId` already is a member (nothing written). */
  addMember(member: Member): Promise<boolean>;
  setOwner(itwinId: string, subject: string, owner: boolean): Promise<void>;
  /**
   * Oldest first (ties by user id), one beyond the page; `owners`: only owners; `users`: only user
   * members in the Access Control v2 sense (members that are not owners, or hold a role).
   */
  listMembers(itwinId: string, page: Page, filter?: { owners?: boolean; users?: boolean }): Promise<Member[]>;
  countMembers(itwinId: string): Promise<number>;
  countOwners(itwinId: string): Promise<number>;
  removeMember(itwinId: string, subject: string): Promise<boolean>;

  /** Replaces the member's roles (ids of roles of the iTwin) and the permissions its row carries. */
  setMemberRoles(itwinId: string, subject: string, roleIds: readonly string[]): Promise<void>;
  /** The roles of each of these members (none: an empty list). */
  rolesOfMembers(itwinId: string, subjects: readonly string[]): Promise<Map<string, Role[]>>;

  insertRole(role: Role): Promise<void>;
  findRole(itwinId: string, roleId: string): Promise<Role | undefined>;
  /** By creation. */
  listRoles(itwinId: string): Promise<Role[]>;
  roleNameTaken(itwinId: string, displayName: string, exceptId?: string): Promise<boolean>;
  /** Stores the role's new name, description and permissions, and its holders' permissions. */
  updateRole(role: Role): Promise<void>;
  /** Its holders lose it (and its permissions). */
  deleteRole(itwinId: string, roleId: string): Promise<void>;

  insertInvitation(invitation: Invitation): Promise<void>;
  /**
   * The invitations still pending at `now` (expiring after it), only those `invitedBy` made when it
   * is given, oldest first, one beyond the page: the filters apply before paging, so a page is short
   * only at the end of the list.
   */
  listInvitations(itwinId: string, page: Page, now: string, invitedBy?: string): Promise<Invitation[]>;
  /** Invitations of this address (any case), in every iTwin. */
  invitationsFor(email: string): Promise<Invitation[]>;
  deleteInvitation(id: string): Promise<void>;
}
