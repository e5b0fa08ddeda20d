import type { OAuthClient, SecretOutcome } from '../../domain/deployment/model.js';
import type { DeploymentRepository } from '../../domain/deployment/repository.js';
import type { OAuthClientRow } from '../schema-deployment.js';
import type { Scope } from '../scope.js';

/** Deployment secrets (`deployment_secrets`) and the built-in issuer's clients (`oauth_clients`) over SQL. */
export class SqlDeployment implements DeploymentRepository {
  constructor(private readonly scope: Scope) {}

  async findSecret(name: string): Promise<string | undefined> {
    const row = await this.scope.db.selectFrom('deployment_secrets').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  }

  secretOrInsert(name: string, candidate: string, now: string): Promise<SecretOutcome> {
    return this.scope.write(async (db) => {
      // Insert-if-absent, then read back: a process that loses the race inserts nothing (no unique
      // violation, which would abort a PostgreSQL transaction) and reads the winner's value. On
      // PostgreSQL the insert waits for a concurrent inserter's commit, and the read, a statement of
      // its own under READ COMMITTED, sees it.
      const result = await db
        .insertInto('deployment_secrets')
        .values({ name, value: candidate, created_at: now })
        .onConflict((conflict) => conflict.column('name').doNothing())
        .executeTakeFirst();
      const row = await db.selectFrom('deployment_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
      return { value: row.value, inserted: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
    });
  }

  async listClients(): Promise<OAuthClient[]> {
    const rows = await this.scope.db.selectFrom('oauth_clients').selectAll().orderBy('created_at').orderBy('client_id').execute();
    return rows.map(clientOf);
  }

  async findClient(clientId: string): Promise<OAuthClient | undefined> {
    const row = await this.scope.db.selectFrom('oauth_clients').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return row && clientOf(row);
  }

  insertClient(client: OAuthClient, now: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db
        .insertInto('oauth_clients')
        .values(rowOf(client, now))
        .onConflict((conflict) => conflict.column('client_id').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    });
  }

  deleteClient(clientId: string): Promise<boolean> {
    return this.scope.write(async (db) => {
      const result = await db.deleteFrom('oauth_clients').where('client_id', '=', clientId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }
}

function rowOf(client: OAuthClient, now: string): OAuthClientRow {
  return {
    client_id: client.clientId,
    // A public client has no secret; the column predates them and is not nullable: empty says none.
    client_secret: client.clientSecret ?? '',
    subject: client.subject,
    scopes: JSON.stringify(client.scopes),
    redirect_uris: JSON.stringify(client.redirectUris ?? []),
    email: client.email ?? null,
    created_at: now,
    updated_at: now,
  };
}

function clientOf(row: OAuthClientRow): OAuthClient {
  const redirectUris = JSON.parse(row.redirect_uris) as string[];
  return {
    clientId: row.client_id,
    ...(row.client_secret === '' ? {} : { clientSecret: row.client_secret }),
    subject: row.subject,
    scopes: JSON.parse(row.scopes) as string[],
    ...(redirectUris.length > 0 ? { redirectUris } : {}),
    ...(row.email ? { email: row.email } : {}),
  };
}
