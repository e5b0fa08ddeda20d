import { pino, type LoggerOptions } from 'pino';
import type { Config } from './config.js';

/**
 * Pino options: JSON lines, pretty only on a terminal outside production, and only where pino-pretty
 * is installed: it is a development dependency, absent from a production install (`npm ci
 * --omit=dev`), where asking for it would stop the start.
 */
export function loggerOptions(config: Pick<Config, 'logLevel'>): LoggerOptions {
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production' && installed('pino-pretty');
  return {
    level: config.logLevel,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
}

function installed(name: string): boolean {
  try {
    import.meta.resolve(name);
    return true;
  } catch {
    return false;
  }
}

export function createLogger(config: Pick<Config, 'logLevel'>) {
  return pino(loggerOptions(config));
}

/**
 * A connection URL as logs and messages may show it: the password replaced by `***`. The user name
 * may be empty (`redis://:secret@host`, Redis's usual form).
 */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]+@/, '//$1:***@');
}
