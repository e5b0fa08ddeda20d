import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startService, type RunningService } from './start.js';

/**
 * `npm start`: the embedded default (SQLite in DATA_DIR, built-in token issuer). Parses the config
 * once, listens, prints how to call it, and shuts down gracefully on SIGINT/SIGTERM (a second signal
 * exits at once).
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
  const logger = createLogger(config);
  const service = await startService(config, logger);
  logger.info({ address: service.address, publicUrl: config.publicUrl, database: redact(config.databaseUrl) }, 'twinsync listening');
  await printBanner(config, service);
  handleSignals(service, config, logger);
}

function redact(databaseUrl: string): string {
  return databaseUrl.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

async function printBanner(config: Config, service: RunningService): Promise<void> {
  const lines = [`twinsync is listening on ${config.publicUrl}`];
  const client = service.issuer?.clients[0];
  if (client && service.issuer) {
    const { token } = await service.issuer.issue({ subject: client.subject, clientId: client.clientId, scopes: client.scopes });
    lines.push(
      `Built-in issuer: client_id=${client.clientId} client_secret=${client.clientSecret} (DATA_DIR/clients.json)`,
      `A token for it (valid ${config.auth.tokenTtlSeconds}s; more with: npm run token -- --scope itwin-platform):`,
      `  export TOKEN=${token}`,
    );
  }
  lines.push(
    'Start with an iTwin (then an iModel, a file upload and a storage connection: README.md, Quickstart):',
    `  curl -s -X POST ${config.publicUrl}/itwins -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' ` +
      `-d '{"displayName":"My iTwin","class":"Endeavor","subClass":"Project"}'`,
  );
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

function handleSignals(service: RunningService, config: Config, logger: ReturnType<typeof createLogger>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const timer = setTimeout(() => {
      logger.error({ graceMs: config.shutdownGraceMs }, 'shutdown grace period over: exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
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
