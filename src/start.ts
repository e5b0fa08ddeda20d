import type { FastifyBaseLogger } from 'fastify';
import { buildApp } from './app.js';
import { BuiltinIssuer, recordIssuer } from './auth/builtin-issuer.js';
import { TokenVerifier } from './auth/token-verifier.js';
import type { Config } from './config.js';
import type { App } from './http/context.js';
import { sweepAbandonedUploads } from './domain/storage/blobs.js';
import { Store } from './store/store.js';

export interface RunningService {
  app: App;
  store: Store;
  issuer?: BuiltinIssuer;
  /** Where it listens, as a URL. */
  address: string;
  /** Stop accepting, finish in-flight requests, close the store. */
  close(): Promise<void>;
}

/** `serve`: open the store (migrating it), build the app and listen. main.ts adds signals and the banner. */
export async function startService(config: Config, logger: FastifyBaseLogger): Promise<RunningService> {
  const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  try {
    const issuer = config.auth.mode === 'builtin' ? await BuiltinIssuer.load(config.dataDir, config.auth) : undefined;
    const verifier = TokenVerifier.forConfig(config.auth, issuer);
    // Partial uploads a killed process left behind (only old ones: DATA_DIR may be shared).
    await sweepAbandonedUploads(config.dataDir);
    const app = await buildApp(config, { store, verifier, issuer, logger });
    const address = await app.listen({ port: config.port, host: config.host });
    if (issuer) recordIssuer(config.dataDir, issuer.issuer);
    let closing: Promise<void> | undefined;
    return {
      app,
      store,
      issuer,
      address,
      close: () =>
        (closing ??= (async () => {
          await app.close();
          await store.close();
        })()),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
