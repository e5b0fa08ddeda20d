import type { Page } from '../../domain/paging.js';
import type { User } from '../../domain/users/model.js';
import type { UserRepository } from '../../domain/users/repository.js';
import type { Scope } from '../scope.js';

const USER = ['subject', 'email', 'display_name', 'given_name', 'surname'] as const;

/** The users seen, over SQL (table `users`, migration 0013; names since 0020). */
export class SqlUsers implements UserRepository {
  constructor(private readonly scope: Scope) {}

  async find(subject: string): Promise<User | undefined> {
    const row = await this.scope.db.selectFrom('users').select(USER).where('subject', '=', subject).executeTakeFirst();
    return row && userOf(row);
  }

  async findMany(subjects: readonly string[]): Promise<User[]> {
    if (subjects.length === 0) return [];
    return (await this.scope.db.selectFrom('users').select(USER).where('subject', 'in', subjects).orderBy('subject').execute()).map(userOf);
  }

  async findByEmail(email: string): Promise<User[]> {
    return (await this.scope.db.selectFrom('users').select(USER).where('email_key', '=', email.toLowerCase()).orderBy('subject').execute()).map(userOf);
  }

  async search(text: string, page: Page): Promise<User[]> {
    // LIKE's wildcards in the text are matched literally.
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await this.scope.db
      .selectFrom('users')
      .select(USER)
      .where((eb) => eb.or([eb(eb.fn('lower', ['subject']), 'like', eb.val(pattern)), eb('email_key', 'like', pattern)]))
      .orderBy('subject')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
    return rows.map(userOf);
  }

  remember(user: User, at: string): Promise<void> {
    return this.scope.write(async (db) => {
      const names = { display_name: user.displayName ?? null, given_name: user.givenName ?? null, surname: user.surname ?? null };
      const values = { subject: user.subject, email: user.email, email_key: user.email?.toLowerCase() ?? null, ...names, updated_at: at };
      // Without an address the subject is only recorded: a null never replaces an address another process stored.
      // The names come from the same token as the address, so they are replaced together.
      await db
        .insertInto('users')
        .values(values)
        .onConflict((oc) =>
          user.email === null
            ? oc.column('subject').doNothing()
            : oc.column('subject').doUpdateSet({ email: values.email, email_key: values.email_key, ...names, updated_at: at }),
        )
        .execute();
    });
  }
}

function userOf(row: { subject: string; email: string | null; display_name: string | null; given_name: string | null; surname: string | null }): User {
  return { subject: row.subject, email: row.email, displayName: row.display_name, givenName: row.given_name, surname: row.surname };
}
