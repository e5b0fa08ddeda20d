import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { buildApp } from './app.js';
import { BuiltinIssuer, recordedIssuer, recordIssuer } from './auth/builtin-issuer.js';
import { TokenVerifier } from './auth/token-verifier.js';
import { setUpSignIn, type FirstAccount } from './auth/sign-in-setup.js';
import { Passwords } from './domain/accounts/password.js';
import type { Config } from './config.js';
import type { App } from './http/context.js';
import { sweepOrphanIModelFiles } from './domain/imodels/sweep-orphan-files.js';
import { startUploadSweeper } from './domain/storage/blobs.js';
import type { BlobStore } from './domain/blob-store.js';
import { LocalBlobStore } from './blobs/local-blob-store.js';
import { SqlStore as Store } from './store/store.js';
import { baselineCheckpointMaker } from './connectors/ifc/baseline-maker.js';
import { modelExporter } from './model-view/model-exporter.js';
import { createConnectorResolver } from './connectors/registry.js';
import { Worker } from './worker/worker.js';
import { WebhookDispatcher } from './worker/webhook-dispatcher.js';
import { listen } from './http/listening/listen.js';
import { closeRedis, openRedis } from './redis/open-redis.js';
import { listenFailure, probeDatabase } from './start-errors.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { buildWorkerApp } from './http/worker-app.js';

export interface RunningService {
  app: App;
  store: Store;
  issuer?: BuiltinIssuer;
  /** The account this start made so that someone can sign in (the deployment's first start), for the banner. */
  firstAccount?: FirstAccount;
  /** Where it listens, as a URL. */
  address: string;
  /** The in-process worker, unless started with --no-worker. */
  worker?: Worker;
  /** Stop accepting, finish in-flight requests, stop the worker (within the grace period), close the store. */
  close(): Promise<void>;
}

export interface RunningWorker {
  store: Store;
  worker: Worker;
  /** Where its /health and /metrics server listens (WORKER_HEALTH_PORT), as a URL. */
  healthAddress?: string;
  close(): Promise<void>;
}

/**
 * Where content lives: DATA_DIR, or the object store BLOB_STORE_URL names, checked before anything
 * is served (a wrong endpoint, bucket or key stops the start with one line naming the setting). The
 * AWS SDK is loaded only then: a process on the local folder never pays for it.
 */
async function openBlobStore(config: Config, logger: FastifyBaseLogger): Promise<BlobStore> {
  if (!config.blobStore.s3) return new LocalBlobStore(config.dataDir);
  const { openBlobStore: open, checkBlobStore } = await import('./blobs/open-blob-store.js');
  const blobs = open(config.blobStore.s3, config.dataDir);
  const { warnings } = await checkBlobStore(blobs);
  for (const warning of warnings) logger.warn({ blobStore: blobs.description }, warning);
  return blobs;
}

function createWorker(config: Config, store: Store, blobs: BlobStore, logger: FastifyBaseLogger, metrics?: Metrics): Worker {
  return new Worker({
    metrics,
    store,
    blobs,
    dataDir: config.dataDir,
    settings: config.runs,
    connectors: createConnectorResolver(config.runs.connectors, config.dataDir, config.runs.connectorProcesses),
    log: logger,
  });
}

/** The store of a long-running process: its PostgreSQL pool opened at start and kept open. */
async function openServiceStore(config: Config): Promise<Store> {
  // One connection with a time limit first: an unreachable DATABASE_URL is a clear error within a second.
  await probeDatabase(config);
  return Store.open({
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    poolSize: config.databasePoolSize,
    openPoolNow: true,
  });
}

/** `worker`: only the workers, for scale-out; the API runs elsewhere on the same store and DATA_DIR. */
export async function startWorker(config: Config, logger: FastifyBaseLogger): Promise<RunningWorker> {
  const blobs = await openBlobStore(config, logger);
  const store = await openServiceStore(config);
  const metrics = config.metrics.enabled ? createMetrics(store) : undefined;
  const worker = createWorker(config, store, blobs, logger, metrics);
  worker.start();
  // Webhooks are sent wherever runs are executed (docs/webhooks.md).
  const dispatcher = new WebhookDispatcher(store, config.events, logger);
  dispatcher.start();
  let health: App | undefined;
  let healthAddress: string | undefined;
  try {
    if (config.workerHealthPort) {
      health = await buildWorkerApp(config, { store, logger, metrics, workerRunning: () => worker.running });
      healthAddress = await health.listen({ port: config.workerHealthPort, host: config.host });
    }
  } catch (error) {
    await health?.close();
    await worker.stop(0);
    await dispatcher.stop();
    await store.close();
    // Its port is WORKER_HEALTH_PORT's, not PORT's: the start-up error names that setting.
    throw listenFailure(error, 'WORKER_HEALTH_PORT', config.workerHealthPort!, config.host) ?? error;
  }
  let closing: Promise<void> | undefined;
  return {
    store,
    worker,
    healthAddress,
    close: () =>
      (closing ??= (async () => {
        await health?.close();
        await worker.stop(config.shutdownGraceMs);
        await dispatcher.stop();
        await store.close();
      })()),
  };
}

/**
 * `serve`: open the store (migrating it), build the app and listen, with one in-process worker
 * unless `withWorker` is false. main.ts adds signals and the banner.
 */
export async function startService(config: Config, logger: FastifyBaseLogger, withWorker = true): Promise<RunningService> {
  const blobs = await openBlobStore(config, logger);
  const store = await openServiceStore(config);
  let redis: Redis | undefined;
  try {
    const issuer = config.auth.mode === 'builtin' ? await BuiltinIssuer.load(store.deployment, config.dataDir, config.auth, logger) : undefined;
    const verifier = TokenVerifier.forConfig(config.auth, issuer);
    const passwords = new Passwords();
    // Once per deployment: the web application's client, and a first account when there is none.
    const { firstAccount } = issuer ? await setUpSignIn(store, issuer.registry, passwords, config.publicUrl, config.auth.admin) : {};
    if (firstAccount) logger.info({ email: firstAccount.email }, 'made the first account of the built-in issuer');
    // Partial writes a killed process left behind: every one of a process gone, whatever its age
    // (a DATA_DIR may be shared: a live process's are left alone), and any idle past the upload idle limit.
    await blobs.sweep({ idleMs: config.timeouts.uploadIdleMs, atStart: true });
    await sweepOrphanIModelFiles(store, config.dataDir);
    const metrics = config.metrics.enabled ? createMetrics(store) : undefined;
    const worker = withWorker ? createWorker(config, store, blobs, logger, metrics) : undefined;
    redis = config.rateLimit.redisUrl ? await openRedis(config.rateLimit.redisUrl, logger) : undefined;
    const app = await buildApp(config, {
      store,
      blobs,
      verifier,
      issuer,
      logger,
      redis,
      metrics,
      passwords,
      runQueued: worker && (() => worker.wake()),
      workerRunning: worker && (() => worker.running),
      checkpointMaker: baselineCheckpointMaker(config.dataDir, (iModelId, error) =>
        logger.warn({ err: error, iModelId }, 'writing the baseline checkpoint of an iModel failed'),
      ),
      modelExporter: modelExporter({
        dataDir: config.dataDir,
        failed: ({ iModelId, changesetIndex }, error) => logger.warn({ err: error, iModelId, changesetIndex }, 'exporting the model of a version failed'),
      }),
    });
    const { address, stopAccepting } = await listen(app, config);
    worker?.start();
    // Webhooks are sent wherever runs are executed (docs/webhooks.md).
    const dispatcher = worker && new WebhookDispatcher(store, config.events, logger);
    dispatcher?.start();
    const stopUploadSweeper = startUploadSweeper(blobs, config.timeouts.uploadIdleMs, (error) =>
      logger.warn({ err: error }, 'sweeping abandoned uploads failed'),
    );
    if (issuer) {
      // Processes sharing DATA_DIR with different public URLs reject each other's tokens: say so.
      const previous = recordedIssuer(config.dataDir);
      if (previous && previous !== issuer.issuer) {
        logger.warn(
          { issuer: issuer.issuer, recorded: previous },
          'DATA_DIR/issuer.json shows tokens issued as another PUBLIC_URL: this process rejects them; give every process on this DATA_DIR the same PUBLIC_URL',
        );
      }
      recordIssuer(config.dataDir, issuer.issuer);
    }
    let closing: Promise<void> | undefined;
    return {
      app,
      store,
      issuer,
      ...(firstAccount ? { firstAccount } : {}),
      address,
      worker,
      close: () =>
        (closing ??= (async () => {
          await stopAccepting();
          stopUploadSweeper();
          await app.close();
          if (redis) await closeRedis(redis);
          await worker?.stop(config.shutdownGraceMs);
          await dispatcher?.stop();
          await store.close();
        })()),
    };
  } catch (error) {
    if (redis) await closeRedis(redis);
    await store.close();
    throw error;
  }
}
