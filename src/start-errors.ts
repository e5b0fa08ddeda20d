import path from 'node:path';
import pg from 'pg';
import type { Config } from './config.js';
import { redactUrl } from './logger.js';

/**
 * How long a start waits for PostgreSQL to answer before it gives up. A reachable server answers in
 * milliseconds; without a limit, a host that accepts connections but never answers (a wrong port,
 * a firewall that drops packets) held the start forever. Start-up errors show within 2 s.
 */
export const DATABASE_PROBE_TIMEOUT_MS = 1000;

/** A start-up failure an operator fixes by changing a setting: `setting` names it, `advice` says how. */
export class StartError extends Error {
  constructor(
    readonly setting: string,
    message: string,
    readonly advice: string,
  ) {
    super(message);
  }
}

/**
 * Before the pool opens: one connection, with a time limit, so that an unreachable or wrong
 * DATABASE_URL is one clear line within a second rather than a stack trace (or a wait without end).
 */
export async function probeDatabase(config: Pick<Config, 'databaseUrl'>): Promise<void> {
  if (config.databaseUrl.startsWith('sqlite:')) return;
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: DATABASE_PROBE_TIMEOUT_MS });
  // A connection that fails after connecting emits 'error' too; the rejection below reports it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new StartError('DATABASE_URL', `cannot use PostgreSQL at ${redactUrl(config.databaseUrl)}: ${postgresReason(error)}`, postgresAdvice(error));
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresReason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (message === 'timeout expired' || message === 'Connection terminated due to connection timeout') {
    return `no answer within ${DATABASE_PROBE_TIMEOUT_MS} ms`;
  }
  return oneLine(message ?? String(error));
}

function postgresAdvice(error: unknown): string {
  const code = (error as { code?: string }).code;
  // PostgreSQL's own refusals: the server was reached, the user, password or database is wrong.
  if (code === '28P01' || code === '28000') return 'give DATABASE_URL a user and password PostgreSQL accepts';
  if (code === '3D000') return 'create that database (createdb), or name an existing one in DATABASE_URL';
  return 'start PostgreSQL there, or set DATABASE_URL to where it runs';
}

/**
 * The one line a failed start prints, for the failures an operator causes and fixes by changing a
 * setting (database, Redis, port, address, data folder); undefined for anything else, which is a
 * bug and keeps its stack trace.
 */
export function explainStartError(
  error: unknown,
  config: Pick<Config, 'dataDir' | 'databaseUrl' | 'port' | 'host'>,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const failure = error instanceof StartError ? error : listenFailure(error, 'PORT', config.port, config.host);
  if (failure) return `${failure.setting}: ${oneLine(failure.message)}. What to do: ${failure.advice}.`;
  const { code, path: file } = error as NodeJS.ErrnoException;
  if (typeof file === 'string' && within(config.dataDir, file) && code) {
    return `DATA_DIR: ${config.dataDir} cannot be used (${code} on ${file}). What to do: set DATA_DIR to a folder this user can read and write (it is created when missing), or fix that folder's permissions.`;
  }
  if ((error as Error)?.name === 'SqliteError' || String(code).startsWith('SQLITE_')) {
    const setting = env.DATABASE_URL?.trim() ? 'DATABASE_URL' : 'DATA_DIR';
    return `${setting}: the SQLite database ${config.databaseUrl.slice('sqlite:'.length)} cannot be opened: ${oneLine((error as Error).message)}. What to do: set ${setting} to a place this user can read and write.`;
  }
  return undefined;
}

/**
 * A listen that failed for its port or address, named by the setting that chose the port: PORT for
 * the API, WORKER_HEALTH_PORT for a worker's health server (both listen on HOST). Undefined for any
 * other error.
 */
export function listenFailure(error: unknown, setting: 'PORT' | 'WORKER_HEALTH_PORT', port: number, host: string): StartError | undefined {
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (syscall !== 'listen') return undefined;
  if (code === 'EADDRINUSE') {
    return new StartError(
      setting,
      `port ${port} is already in use on ${host} (another program listens there)`,
      `stop that program, or set ${setting} to a free port`,
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new StartError(
      'HOST',
      `${host} is not an address of this machine`,
      'set HOST to one of its addresses (127.0.0.1 for this machine only, 0.0.0.0 for every interface)',
    );
  }
  if (code === 'EACCES') {
    return new StartError(setting, `listening on port ${port} needs privileges this user does not have`, `set ${setting} to 1024 or above`);
  }
  return undefined;
}

function within(dir: string, file: string): boolean {
  const relative = path.relative(dir, path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
