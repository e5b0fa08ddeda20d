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
    // Fastify's and our own lines may carry a request: never its credentials (see redactRequestUrl).
    serializers: { req: requestSerializer },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
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

/**
 * Query parameters that are credentials: the signature of an upload URL, the ticket of a consent
 * URL, tokens, codes, PKCE verifiers, passwords and client secrets some clients put in URLs (the
 * built-in issuer reads them from bodies only, but a client may still send them). Matched in any case.
 */
const CREDENTIAL_PARAMETERS = new Set([
  'signature',
  'sig',
  'ticket',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'code',
  'code_verifier',
  'client_secret',
  'password',
  'form_token',
]);

/** A request URL as logs may show it: the values of credential parameters replaced by `[redacted]`. */
export function redactRequestUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // An undecodable name is compared as written.
      }
      return eq >= 0 && CREDENTIAL_PARAMETERS.has(decoded.toLowerCase()) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

/** What a log line says of a request: method, redacted URL, no headers. */
function requestSerializer(request: { method?: string; url?: string; id?: unknown }): object {
  return { id: request.id, method: request.method, url: typeof request.url === 'string' ? redactRequestUrl(request.url) : undefined };
}
