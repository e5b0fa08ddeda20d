import { BuiltinIssuer } from '../../src/auth/builtin-issuer.js';
import type { OAuthClient } from '../../src/auth/clients.js';
import { type AuthConfig, loadConfig } from '../../src/config.js';
import { SqlStore } from '../../src/store/store.js';

/**
 * The built-in issuer's clients as a server with this environment keeps them (in its store:
 * DATABASE_URL, or the SQLite file in DATA_DIR), as `npm run clients -- list` would read them.
 */
export async function deploymentClients(env: Record<string, string | undefined>): Promise<OAuthClient[]> {
  const config = loadConfig(env);
  const store = await SqlStore.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  try {
    return await store.deployment.listClients();
  } finally {
    await store.close();
  }
}

/**
 * The built-in issuer of the deployment a server with this environment belongs to (its key and
 * clients, from its store), to mint tokens that server accepts. The store is closed again: the
 * issuer signs without it.
 */
export async function deploymentIssuer(env: Record<string, string | undefined>, auth?: AuthConfig): Promise<BuiltinIssuer> {
  const config = loadConfig(env);
  const store = await SqlStore.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  try {
    return await BuiltinIssuer.load(store.deployment, config.dataDir, auth ?? config.auth);
  } finally {
    await store.close();
  }
}
