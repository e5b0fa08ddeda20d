import type { Member } from '../members/model.js';
import type { Page } from '../paging.js';
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
  findMember(itwinId: string, subject: string): Promise<Member | undefined>;
  /** False when `member.userId` already is a member (nothing written). */
  addMember(member: Member): Promise<boolean>;
  /** Oldest first (ties by user id), one beyond the page. */
  listMembers(itwinId: string, page: Page): Promise<Member[]>;
  countMembers(itwinId: string): Promise<number>;
  removeMember(itwinId: string, subject: string): Promise<boolean>;
}
