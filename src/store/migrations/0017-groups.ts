import type { Kysely } from 'kysely';

/**
 * Access Control v2 groups (docs/access-control.md, "Groups").
 *
 * `itwin_groups`: an iTwin's groups (`ims_groups` a JSON array, echoed only). `itwin_group_users`:
 * which user (token subject) is in which group. `itwin_group_members`: a group made a member of its
 * iTwin; `itwin_group_roles`: the roles it holds there. `itwin_members.via_group` (1) marks a row that
 * exists only because its user is in a group that is a member: the permissions recompute creates and
 * removes such rows, so the check of every request still reads one member row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('itwin_members')
    .addColumn('via_group', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('itwin_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('ims_groups', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('itwin_groups_by_itwin').on('itwin_groups').columns(['itwin_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('itwin_group_users')
    .addColumn('group_id', 'text', (c) => c.notNull().references('itwin_groups.id').onDelete('cascade'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('itwin_group_users_pk', ['group_id', 'subject'])
    .execute();
  await db.schema.createIndex('itwin_group_users_by_subject').on('itwin_group_users').columns(['subject']).execute();

  await db.schema
    .createTable('itwin_group_members')
    .addColumn('group_id', 'text', (c) => c.primaryKey().references('itwin_groups.id').onDelete('cascade'))
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('itwin_group_members_by_itwin').on('itwin_group_members').columns(['itwin_id', 'created_at', 'group_id']).execute();

  await db.schema
    .createTable('itwin_group_roles')
    .addColumn('group_id', 'text', (c) => c.notNull().references('itwin_group_members.group_id').onDelete('cascade'))
    .addColumn('role_id', 'text', (c) => c.notNull().references('itwin_roles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('itwin_group_roles_pk', ['group_id', 'role_id'])
    .execute();
  await db.schema.createIndex('itwin_group_roles_by_role').on('itwin_group_roles').columns(['role_id']).execute();
}
