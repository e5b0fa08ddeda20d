import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { pino } from 'pino';
import { buildApp } from '../../src/app.js';
import { BuiltinIssuer } from '../../src/auth/builtin-issuer.js';
import { ALL_SCOPES, newClient } from '../../src/auth/clients.js';
import { setUpSignIn, type FirstAccount } from '../../src/auth/sign-in-setup.js';
import { Passwords } from '../../src/domain/accounts/password.js';
import { baselineCheckpointMaker } from '../../src/connectors/ifc/baseline-maker.js';
import { modelExporter } from '../../src/model-view/model-exporter.js';
import { TokenVerifier } from '../../src/auth/token-verifier.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createIModel } from '../../src/domain/imodels/create-imodel.js';
import { createITwin } from '../../src/domain/itwins/create-itwin.js';
import { createFileWithContent } from '../../src/domain/storage/create-file-with-content.js';
import type { App } from '../../src/http/context.js';
import { closeRedis, openRedis } from '../../src/redis/open-redis.js';
import type { ITwin } from '../../src/domain/itwins/model.js';
import { SqlStore as Store } from '../../src/store/store.js';
import type { StoreTarget, TestDatabase } from './stores.js';
import { openBlobStore } from '../../src/blobs/open-blob-store.js';
import type { BlobStore } from '../../src/domain/blob-store.js';

export const PUBLIC_URL = 'http://twinsync.test';

export interface Harness {
  app: App;
  store: Store;
  config: Config;
  /** Where the app keeps content: DATA_DIR, or the object store BLOB_STORE_URL names in `env`. */
  blobs: BlobStore;
  issuer: BuiltinIssuer;
  db: TestDatabase;
  /** The account sign-in's setup made (HarnessOptions.signIn). */
  firstAccount?: FirstAccount;
  /** A token of the built-in issuer for `subject` with `scopes`. */
  token(subject?: string, scopes?: string[]): Promise<string>;
  /** Signs arbitrary claims/header with the issuer's own key (for token attack tests). */
  signRaw(claims: JWTPayload, header?: Record<string, unknown>): Promise<string>;
  itwin(subject?: string): Promise<ITwin>;
  imodel(itwin: ITwin, subject?: string): Promise<string>;
  file(itwin: ITwin, name?: string, subject?: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A second store on the harness's database that reports every statement it sends, and on which
 * pool (the worker's progress, or the durable one): on PostgreSQL, the statements on the wire.
 */
export function countingStore(h: Harness, onStatement: (sql: string, pool: 'durable' | 'progress') => void): Promise<Store> {
  return Store.open({ databaseUrl: h.config.databaseUrl, schema: h.config.databaseSchema, onStatement });
}

export const ALICE = 'alice';

/**
 * `client-of-<subject>`, added to the deployment's clients the first time: the verifier accepts only
 * tokens of the built-in issuer's current clients.
 */
export async function registeredClient(issuer: BuiltinIssuer, subject: string): Promise<string> {
  const clientId = `client-of-${subject}`;
  // Another harness on the same database may have added it.
  if (!(await issuer.registry.lookup(clientId))) await issuer.registry.add(newClient(clientId, subject, ALL_SCOPES));
  return clientId;
}

export interface HarnessOptions {
  /** The sign-in clock (codes, refresh tokens, forms), as buildApp takes it. */
  now?: () => number;
  /**
   * Sets up sign-in as start.ts does on a deployment's first start (the web client, a first account
   * when there is none); its outcome is `firstAccount`. Off by default: it hashes a password.
   */
  signIn?: boolean;
}

/** A real app (buildApp) over a fresh database of the given target; not listening. */
export async function createHarness(target: StoreTarget, env: Record<string, string> = {}, options: HarnessOptions = {}): Promise<Harness> {
  const db = await target.create();
  const config = loadConfig({
    DATA_DIR: db.dataDir,
    DATABASE_URL: db.databaseUrl,
    DATABASE_SCHEMA: db.schema,
    PUBLIC_URL,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  const blobs = openBlobStore(config.blobStore.s3, config.dataDir);
  const issuer = await BuiltinIssuer.load(store.deployment, config.dataDir, config.auth);
  const builtin = config.auth.mode === 'builtin' ? issuer : undefined;
  const passwords = new Passwords();
  const { firstAccount } = options.signIn ? await setUpSignIn(store, issuer.registry, passwords, config.publicUrl, config.auth.admin) : {};
  const verifier = TokenVerifier.forConfig(config.auth, builtin);
  const logger = pino({ level: process.env.TWINSYNC_TEST_LOG ?? 'silent' });
  const redis = config.rateLimit.redisUrl ? await openRedis(config.rateLimit.redisUrl, logger) : undefined;
  // Baselines are written as start.ts writes them (iTwin.js in a child process), where iTwin.js is installed.
  const app = await buildApp(config, {
    store,
    blobs,
    verifier,
    issuer: builtin,
    logger,
    redis,
    passwords,
    now: options.now,
    checkpointMaker: baselineCheckpointMaker(config.dataDir),
    // Models are exported as start.ts exports them (iTwin.js in a child process), where iTwin.js is installed.
    modelExporter: modelExporter({ dataDir: config.dataDir, failed: (request, error) => logger.warn({ err: error, ...request }, 'model export failed') }),
  });
  const key = issuer.signingKey;
  return {
    app,
    store,
    config,
    blobs,
    issuer,
    db,
    ...(firstAccount ? { firstAccount } : {}),
    token: async (subject = ALICE, scopes = ['itwin-platform']) =>
      (await issuer.issue({ subject, clientId: await registeredClient(issuer, subject), scopes })).token,
    signRaw: (claims, header = {}) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid, ...header }).sign(key.privateKey),
    itwin: (subject = ALICE) => createITwin(store, subject, { displayName: 'Test iTwin' }),
    // iModel names are unique per iTwin, so each fixture gets its own.
    imodel: async (itwin, subject = ALICE) => (await createIModel(store, subject, { iTwinId: itwin.id, name: `Test iModel ${randomUUID()}` })).id,
    file: async (itwin, name = 'model.ifc', subject = ALICE) =>
      (await createFileWithContent(store, blobs, subject, itwin, name, Buffer.from(`content of ${name}`))).id,
    close: async () => {
      await app.close();
      if (redis) await closeRedis(redis);
      await store.close();
      await db.drop();
    },
  };
}
