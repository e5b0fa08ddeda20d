import type { Kysely } from 'kysely';
import type { Configuration, Level, Settings, SettingsChain } from '../../domain/configurations/model.js';
import type { ConfigurationRepository, ScopeChain } from '../../domain/configurations/repository.js';
import type { Scope } from '../scope.js';
import type { Database } from '../schema.js';

/** The table of each level, its key column, and the table of its scope. */
const TABLES = {
  itwin: { table: 'itwin_configurations', key: 'itwin_id', parent: 'itwins' },
  imodel: { table: 'imodel_configurations', key: 'imodel_id', parent: 'imodels' },
  connection: { table: 'connection_configurations', key: 'connection_id', parent: 'storage_connections' },
} as const;

/**
 * The three tables have the same columns but their key, so each query below is written once for a
 * table chosen at run time; Kysely's types cannot follow such a choice, so those queries see the
 * database through this looser type (the names used come from TABLES only).
 */
type Loose = Kysely<Record<string, Record<string, string | number | null>>>;
const loose = (db: Kysely<Database>) => db as unknown as Loose;

/** Configurations of the three scopes over SQL (`*_configurations`, migration 0009). */
export class SqlConfigurations implements ConfigurationRepository {
  constructor(private readonly scope: Scope) {}

  async find(level: Level, scopeId: string): Promise<Configuration | undefined> {
    const { table, key } = TABLES[level];
    const row = await loose(this.scope.db)
      .selectFrom(table)
      .select(['settings', 'version', 'created_at', 'updated_at'])
      .where(key, '=', scopeId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      level,
      scopeId,
      settings: parse(String(row.settings)),
      version: Number(row.version),
      createdAt: String(row.created_at),
      updatedAt: String(row.updated_at),
    };
  }

  async chain(scopes: ScopeChain): Promise<SettingsChain> {
    // One statement: a scalar subquery per scope, absent ones compared with an id that never matches.
    const row = await this.scope.db
      .selectNoFrom((eb) => [
        eb.selectFrom('itwin_configurations').select('settings').where('itwin_id', '=', scopes.itwin).as('itwin'),
        eb
          .selectFrom('imodel_configurations')
          .select('settings')
          .where('imodel_id', '=', scopes.imodel ?? '')
          .as('imodel'),
        eb
          .selectFrom('connection_configurations')
          .select('settings')
          .where('connection_id', '=', scopes.connection ?? '')
          .as('connection'),
      ])
      .executeTakeFirstOrThrow();
    return chainOf(row);
  }

  async chainOfConnection(connectionId: string): Promise<SettingsChain | undefined> {
    const row = await this.scope.db
      .selectFrom('storage_connections as c')
      .select((eb) => [
        eb.selectFrom('itwin_configurations').select('settings').whereRef('itwin_id', '=', 'c.itwin_id').as('itwin'),
        eb.selectFrom('imodel_configurations').select('settings').whereRef('imodel_id', '=', 'c.imodel_id').as('imodel'),
        eb.selectFrom('connection_configurations').select('settings').whereRef('connection_id', '=', 'c.id').as('connection'),
      ])
      .where('c.id', '=', connectionId)
      .executeTakeFirst();
    return row && chainOf(row);
  }

  create(configuration: Configuration): Promise<boolean> {
    const { table, key, parent } = TABLES[configuration.level];
    return this.scope.write(async (db) => {
      // Inserted only while its scope exists (no foreign key violation to catch: it would abort a
      // PostgreSQL transaction), and only once (the primary key; a second insert does nothing).
      const result = await loose(db)
        .insertInto(table)
        .columns([key, 'settings', 'version', 'created_at', 'updated_at'])
        .expression((eb) =>
          eb
            .selectFrom(parent)
            .select((s) => [
              s.val(configuration.scopeId).as(key),
              s.val(JSON.stringify(configuration.settings)).as('settings'),
              s.val(configuration.version).as('version'),
              s.val(configuration.createdAt).as('created_at'),
              s.val(configuration.updatedAt).as('updated_at'),
            ])
            .where('id', '=', configuration.scopeId),
        )
        .onConflict((conflict) => conflict.column(key).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    });
  }

  replace(level: Level, scopeId: string, settings: Settings, version: number, updatedAt: string): Promise<boolean> {
    const { table, key } = TABLES[level];
    return this.scope.writeOne(async (db) => {
      const result = await loose(db)
        .updateTable(table)
        .set({ settings: JSON.stringify(settings), version: version + 1, updated_at: updatedAt })
        .where(key, '=', scopeId)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  delete(level: Level, scopeId: string): Promise<boolean> {
    const { table, key } = TABLES[level];
    return this.scope.writeOne(async (db) => {
      const result = await loose(db).deleteFrom(table).where(key, '=', scopeId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }
}

function parse(settings: string): Settings {
  return JSON.parse(settings) as Settings;
}

function chainOf(row: { itwin: string | null; imodel: string | null; connection: string | null }): SettingsChain {
  const chain: SettingsChain = {};
  if (row.itwin !== null) chain.itwin = parse(row.itwin);
  if (row.imodel !== null) chain.imodel = parse(row.imodel);
  if (row.connection !== null) chain.connection = parse(row.connection);
  return chain;
}
