import type { Kysely } from 'kysely';
import type { StoreDialect } from './dialect.js';
import { migrations, type Migration } from './migrations/index.js';
import type { Database } from './schema.js';

/**
 * Applies pending migrations in order, each in its own transaction. Several processes may start at
 * once: PostgreSQL serialises them with an advisory lock; on both dialects a migration's row is
 * inserted first, so a process that finds it already there skips the migration.
 */
export async function migrate(dialect: StoreDialect, list: readonly Migration[] = migrations): Promise<string[]> {
  return dialect.withMigrationLock(async (db) => {
    await db.schema
      .createTable('twinsync_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .execute();
    const applied = new Set((await db.selectFrom('twinsync_migrations').select('name').execute()).map((r) => r.name));
    const done: string[] = [];
    for (const migration of list) {
      if (applied.has(migration.name)) continue;
      if (await applyOne(dialect, db, migration)) done.push(migration.name);
    }
    return done;
  });
}

async function applyOne(dialect: StoreDialect, db: Kysely<Database>, migration: Migration): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('twinsync_migrations').values({ name: migration.name, applied_at: new Date().toISOString() }).execute();
      await migration.up(trx as unknown as Kysely<unknown>);
    });
    return true;
  } catch (error) {
    if (dialect.isUniqueViolation(error)) return false; // another process applied it meanwhile
    throw error;
  }
}
