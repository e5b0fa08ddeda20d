import type { Kysely } from 'kysely';

/**
 * Changed Elements (docs/changed-elements.md).
 *
 * `change_tracking`: one row per iModel whose tracking was ever set: whether it is enabled, and
 * `from_index`, the first changeset index tracked since it was last enabled (changesets before it
 * were not processed). Deleted with its iModel.
 *
 * `changesets.element_changes_id`: the blob of the element changes a task's changeset made
 * (imodels/<iModelId>/changed-elements/<id>.json), stored by the worker before the statement that
 * records the changeset, and written by that same statement: no round trip of its own. Null when
 * the connector recorded none (emulated and command connectors, changesets made before this).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('change_tracking')
    .addColumn('imodel_id', 'text', (c) => c.primaryKey())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('from_index', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('changesets').addColumn('element_changes_id', 'text').execute();
}
