import { ConfigError, loadConfig, type Config } from './config.js';
import { bannerLines } from './banner.js';
import { createLogger, redactUrl } from './logger.js';
import { explainStartError } from './start-errors.js';
import { startService, startWorker, type RunningService } from './start.js';

const USAGE = 'usage: twinsync [serve [--no-worker] | worker]';

/**
 * One program, three roles: `serve` (the default: API with an in-process worker; `npm start`),
 * `serve --no-worker` (API only) and `worker` (workers only; `npm run worker`). Parses the config
 * once, prints how to call it, and shuts down gracefully on SIGINT/SIGTERM (a second signal exits
 * at once).
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`twinsync: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const [role = 'serve', ...flags] = process.argv.slice(2);
  const noWorker = flags.includes('--no-worker');
  if (!['serve', 'worker'].includes(role) || flags.some((f) => f !== '--no-worker') || (role === 'worker' && noWorker)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const logger = createLogger(config);
  if (role === 'worker') {
    const worker = await orExplain(config, () => startWorker(config, logger));
    logger.info(
      { database: redactUrl(config.databaseUrl), concurrency: config.runs.workerConcurrency, health: worker.healthAddress },
      'twinsync worker running',
    );
    handleSignals(worker, config, logger);
    return;
  }
  const service = await orExplain(config, () => startService(config, logger, !noWorker));
  logger.info({ address: service.address, publicUrl: config.publicUrl, database: redactUrl(config.databaseUrl), worker: !noWorker }, 'twinsync listening');
  await printBanner(config, service);
  handleSignals(service, config, logger);
}

async function printBanner(config: Config, service: RunningService): Promise<void> {
  // The secret, a token and a first password only for a person at a terminal (src/banner.ts).
  const lines = await bannerLines(config, service.issuer, process.stdout.isTTY === true, service.firstAccount);
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

/**
 * A start that fails for a setting (database, Redis, port, address, data folder) ends with one line
 * on stderr naming the setting and what to do, and exit code 1; anything else is a bug and keeps its
 * stack trace (below).
 */
async function orExplain<T>(config: Config, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const line = explainStartError(error, config, process.env);
    if (line === undefined) throw error;
    process.stderr.write(`twinsync: cannot start: ${line}\n`);
    process.exit(1);
  }
}

function handleSignals(service: { close(): Promise<void> }, config: Config, logger: ReturnType<typeof createLogger>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests or runs, finishing the ones in flight');
    // The worker aborts its connectors at the end of the grace period and releases its runs;
    // this is the last resort if even that hangs.
    const timer = setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, 'shutdown grace period over: exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 5000);
    timer.unref();
    service.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`twinsync: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
