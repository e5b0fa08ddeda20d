import type { Kysely } from 'kysely';

/**
 * Interactive sign-in with the built-in issuer (docs/sign-in.md).
 *
 * `accounts`: the people who sign in with the built-in issuer. `id` is the `sub` of their tokens;
 * `email_key` (the address in lower case) is unique, so an address names one account whatever its
 * case. `password` is a scrypt hash with its salt and parameters (`scrypt$…`), never the password.
 * `failed_sign_ins` counts wrong passwords since the last success, `last_failed_at` the last of them:
 * what the sign-in throttle of an account reads.
 *
 * `authorization_codes`: codes handed to a client's redirect URI, by the SHA-256 of the code (the
 * code itself is never stored). A redeemed code keeps its row with `used_at` set, so that a second
 * use is recognised (and the tokens of the first revoked) until the row is swept after it expired.
 *
 * `refresh_tokens`: by the SHA-256 of the token. Every token of one sign-in shares `family_id`
 * (the hash of the code it started from); a used token keeps its row with `used_at` set, so that its
 * reuse revokes the family. `session_expires_at` is when the sign-in ends whatever the refreshes.
 *
 * `users` gains the names a token came with (`name`, `given_name`, `family_name`), so that the Users
 * API shows them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text')
    .addColumn('surname', 'text')
    .addColumn('password', 'text', (c) => c.notNull())
    .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_failed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounts_by_email').on('accounts').column('email_key').unique().execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text')
    .addColumn('auth_time', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('authorization_codes_expires').on('authorization_codes').column('expires_at').execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('auth_time', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('session_expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('refresh_tokens_by_family').on('refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_by_subject').on('refresh_tokens').column('subject').execute();
  await db.schema.createIndex('refresh_tokens_expires').on('refresh_tokens').column('expires_at').execute();

  await db.schema.alterTable('users').addColumn('display_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('given_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('surname', 'text').execute();
}
