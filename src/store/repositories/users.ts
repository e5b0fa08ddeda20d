import type { Page } from '../../domain/paging.js';
import type { User } from '../../domain/users/model.js';
import type { UserRepository } from '../../domain/users/repository.js';
import type { Scope } from '../scope.js';

/** The users seen, over SQL (table `users`, migration 0013). */
export class SqlUsers implements UserRepository {
  constructor(private readonly scope: Scope) {}

  async find(subject: string): Promise<User | undefined> {
    const row = await this.scope.db.selectFrom('users').select(['subject', 'email']).where('subject', '=', subject).executeTakeFirst();
    return row;
  }

  async findMany(subjects: readonly string[]): Promise<User[]> {
    if (subjects.length === 0) return [];
    return this.scope.db.selectFrom('users').select(['subject', 'email']).where('subject', 'in', subjects).orderBy('subject').execute();
  }

  async findByEmail(email: string): Promise<User[]> {
    return this.scope.db.selectFrom('users').select(['subject', 'email']).where('email_key', '=', email.toLowerCase()).orderBy('subject').execute();
  }

  async search(text: string, page: Page): Promise<User[]> {
    // LIKE's wildcards in the text are matched literally.
    const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return this.scope.db
      .selectFrom('users')
      .select(['subject', 'email'])
      .where((eb) => eb.or([eb(eb.fn('lower', ['subject']), 'like', eb.val(pattern)), eb('email_key', 'like', pattern)]))
      .orderBy('subject')
      .offset(page.skip)
      .limit(page.top + 1)
      .execute();
  }

  remember(user: User, at: string): Promise<void> {
    return this.scope.write(async (db) => {
      const values = { subject: user.subject, email: user.email, email_key: user.email?.toLowerCase() ?? null, updated_at: at };
      // Without an address the subject is only recorded: a null never replaces an address another process stored.
      await db
        .insertInto('users')
        .values(values)
        .onConflict((oc) =>
          user.email === null
            ? oc.column('subject').doNothing()
            : oc.column('subject').doUpdateSet({ email: values.email, email_key: values.email_key, updated_at: at }),
        )
        .execute();
    });
  }
}
