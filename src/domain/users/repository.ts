import type { Page } from '../paging.js';
import type { User } from './model.js';

/** The users the service has seen (implemented in src/store/repositories/users.ts). */
export interface UserRepository {
  find(subject: string): Promise<User | undefined>;
  findMany(subjects: readonly string[]): Promise<User[]>;
  /** Subjects last seen with this address (any case). */
  findByEmail(email: string): Promise<User[]>;
  /** Whose subject or address contains `text` (any case), by subject, one beyond the page. */
  search(text: string, page: Page): Promise<User[]>;
  /** Records (or replaces) the address and names a subject was seen with; a null address only records the subject. */
  remember(user: User, at: string): Promise<void>;
}
