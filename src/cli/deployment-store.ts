import type { Config } from '../config.js';
import { SqlStore } from '../store/store.js';

/**
 * The deployment's store, as the server opens it (DATABASE_URL, or the SQLite file in DATA_DIR),
 * migrated if needed: the command-line tools read and write the clients and keys kept there.
 */
export function openDeploymentStore(config: Config): Promise<SqlStore> {
  return SqlStore.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
}
