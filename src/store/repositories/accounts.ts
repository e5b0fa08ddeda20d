import { sql } from 'kysely';
import type { Account, AccountCredentials } from '../../domain/accounts/model.js';
import type { AccountRepository } from '../../domain/accounts/repository.js';
import type { AccountRow } from '../schema-sign-in.js';
import type { Scope } from '../scope.js';

const ACCOUNT = ['id', 'email', 'display_name', 'given_name', 'surname', 'created_at'] as const;

/** The built-in issuer's accounts (`accounts`, migration 0020) over SQL. */
export class SqlAccounts implements AccountRepository {
  constructor(private readonly scope: Scope) {}

  async list(): Promise<Account[]> {
    const rows = await this.scope.db.selectFrom('accounts').select(ACCOUNT).orderBy('email_key').execute();
    return rows.map(accountOf);
  }

  async count(): Promise<number> {
    const row = await this.scope.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async find(id: string): Promise<Account | undefined> {
    const row = await this.scope.db.selectFrom('accounts').select(ACCOUNT).where('id', '=', id).executeTakeFirst();
    return row && accountOf(row);
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    const row = await this.scope.db.selectFrom('accounts').select(ACCOUNT).where('email_key', '=', email.toLowerCase()).executeTakeFirst();
    return row && accountOf(row);
  }

  async credentials(email: string): Promise<AccountCredentials | undefined> {
    const row = await this.scope.db
      .selectFrom('accounts')
      .select([...ACCOUNT, 'password', 'failed_sign_ins', 'last_failed_at'])
      .where('email_key', '=', email.toLowerCase())
      .executeTakeFirst();
    return row && { account: accountOf(row), passwordHash: row.password, failedSignIns: Number(row.failed_sign_ins), lastFailedAt: row.last_failed_at };
  }

  insert(account: Account, passwordHash: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      // Insert-if-absent on the address: no unique violation, which would abort a PostgreSQL transaction.
      const result = await db
        .insertInto('accounts')
        .values({
          id: account.id,
          email: account.email,
          email_key: account.email.toLowerCase(),
          display_name: account.displayName,
          given_name: account.givenName,
          surname: account.surname,
          password: passwordHash,
          failed_sign_ins: 0,
          last_failed_at: null,
          created_at: account.createdAt,
          updated_at: account.createdAt,
        })
        .onConflict((conflict) => conflict.column('email_key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    });
  }

  delete(id: string): Promise<boolean> {
    return this.scope.write(async (db) => Number((await db.deleteFrom('accounts').where('id', '=', id).executeTakeFirst()).numDeletedRows) > 0);
  }

  setPassword(id: string, passwordHash: string, at: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db
        .updateTable('accounts')
        .set({ password: passwordHash, failed_sign_ins: 0, last_failed_at: null, updated_at: at })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  recordFailure(id: string, at: string): Promise<void> {
    return this.scope.writeOne(async (db) => {
      // Counted in the statement, so that failures on several processes at once all count.
      await db.updateTable('accounts').set({ failed_sign_ins: sql`failed_sign_ins + 1`, last_failed_at: at }).where('id', '=', id).execute();
    });
  }

  clearFailures(id: string): Promise<void> {
    return this.scope.writeOne(async (db) => {
      await db.updateTable('accounts').set({ failed_sign_ins: 0, last_failed_at: null }).where('id', '=', id).execute();
    });
  }
}

function accountOf(row: Pick<AccountRow, (typeof ACCOUNT)[number]>): Account {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    givenName: row.given_name,
    surname: row.surname,
    createdAt: row.created_at,
  };
}
