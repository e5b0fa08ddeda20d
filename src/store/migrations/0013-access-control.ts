import type { Kysely } from 'kysely';

/**
 * Roles, owners, invitations and users (docs/access-control.md).
 *
 * `itwin_members` gains `owner` (1: every permission) and `permissions`: the union of the
 * permissions of the member's roles, as `,perm1,perm2,`, rewritten whenever those roles or their
 * permissions change. The membership check of every request already reads the member's row; with
 * the permissions in it, enforcing them costs no further read. Members that existed before this
 * migration become owners: until now every member could do everything, and nobody loses a right.
 *
 * `itwin_roles`: an iTwin's roles (`permissions` a JSON array). `itwin_member_roles`: which member
 * holds which role. `users`: the e-mail address last seen for each token subject (`email_key` its
 * lower case, for look-ups). `itwin_invitations`: an e-mail address nobody is known by, invited with
 * roles (`role_ids` a JSON array) or as owner. `oauth_clients.email`: the address of a built-in client.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('itwin_members')
    .addColumn('owner', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('itwin_members')
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo(','))
    .execute();
  await (db as Kysely<{ itwin_members: { owner: number } }>).updateTable('itwin_members').set({ owner: 1 }).execute();

  await db.schema
    .createTable('itwin_roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('itwin_roles_by_name').on('itwin_roles').columns(['itwin_id', 'display_name']).unique().execute();

  await db.schema
    .createTable('itwin_member_roles')
    .addColumn('itwin_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull().references('itwin_roles.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('itwin_member_roles_pk', ['itwin_id', 'subject', 'role_id'])
    .addForeignKeyConstraint('itwin_member_roles_member', ['itwin_id', 'subject'], 'itwin_members', ['itwin_id', 'subject'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('itwin_member_roles_by_role').on('itwin_member_roles').columns(['role_id']).execute();

  await db.schema
    .createTable('users')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text')
    .addColumn('email_key', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_by_email').on('users').columns(['email_key']).execute();

  await db.schema
    .createTable('itwin_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('itwin_id', 'text', (c) => c.notNull().references('itwins.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('role_ids', 'text', (c) => c.notNull())
    .addColumn('owner', 'integer', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('itwin_invitations_by_itwin').on('itwin_invitations').columns(['itwin_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('itwin_invitations_by_email').on('itwin_invitations').columns(['email_key']).execute();

  await db.schema.alterTable('oauth_clients').addColumn('email', 'text').execute();
}
