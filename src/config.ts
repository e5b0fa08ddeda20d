import { isIP } from 'node:net';
import { parseBlobStoreUrl } from './blobs/blob-store-url.js';
import { machineCores } from './machine-cores.js';
import fs from 'node:fs';
import path from 'node:path';
import { defaultConnectorsConfig, parseConnectorsConfig, type ConnectorsConfig } from './connectors/config.js';
import { AccountProblem, checkEmail } from './domain/accounts/account-fields.js';
import { passwordProblem } from './domain/accounts/password.js';
import { DEFAULT_SIGN_IN_SETTINGS, type SignInSettings } from './domain/sign-in/settings.js';

/**
 * Everything the service can be told, parsed once from the environment into a frozen object.
 * Nothing else reads process.env: tests build a Config with `loadConfig({...})` and pass it down.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Origin (no trailing slash, no path) every href and Location header is built from. */
  readonly publicUrl: string;
  readonly dataDir: string;
  /** `sqlite:<file>` or a postgres:// URL. */
  readonly databaseUrl: string;
  /** PostgreSQL schema the store lives in (created if missing); ignored on SQLite. */
  readonly databaseSchema: string;
  readonly databasePoolSize: number;
  readonly auth: AuthConfig;
  readonly rateLimit: RateLimitConfig;
  readonly logLevel: string;
  /** Fastify body limit for JSON bodies, in bytes. */
  readonly bodyLimit: number;
  /** Largest storage file upload, in bytes (413 above). */
  readonly uploadLimitBytes: number;
  /** How long a signed upload URL stays valid. */
  readonly uploadUrlTtlSeconds: number;
  readonly shutdownGraceMs: number;
  /** Listeners on the API's port: new connections accepted per event-loop turn (src/http/listening/listen.ts). */
  readonly acceptHandles: number;
  /** Origins browsers may call from; `*` = any. */
  readonly corsOrigins: readonly string[];
  /** Redirect URLs the consent page may return to for every caller (besides each client's and loopback). */
  readonly consentRedirectUrls: readonly string[];
  /** Time limits on clients that are slow or stall (src/http/plugins/client-timeouts.ts). */
  readonly timeouts: TimeoutsConfig;
  /** Uploads one caller (the user the upload URL was given to) may stream at once; 429 above. */
  readonly uploadsPerCaller: number;
  readonly runs: RunsConfig;
  /** GET /metrics (docs/operations.md). */
  readonly metrics: MetricsConfig;
  /** `worker` role only: the port of its own /health and /metrics server; undefined = no server. */
  readonly workerHealthPort?: number;
  /** Where content lives: DATA_DIR (the default) or an S3-compatible object store (docs/operations.md). */
  readonly blobStore: BlobStoreConfig;
  /** Webhooks' delivery and the server-sent event streams (docs/webhooks.md). */
  readonly events: EventsConfig;
  /** The web application served at /app/ (docs/web-app.md). */
  readonly webApp: WebAppConfig;
}

/** The web application (docs/web-app.md): whether it is served, and how its page signs people in. */
export interface WebAppConfig {
  /** WEB_APP=on (the default) serves the page at /app/; off answers 404 there and nothing else changes. */
  readonly enabled: boolean;
  /**
   * WEB_APP_DIR: the built page (index.html and assets/); absent, the build's own output, dist/web
   * of the repository the program runs from.
   */
  readonly dir?: string;
  /**
   * WEB_APP_CLIENT_ID: the OAuth client the page signs in as (authorization code with PKCE, a public
   * client). The built-in issuer's is `twinsync-web`; with an external provider there is no default,
   * and the page says sign-in is not configured until one is set.
   */
  readonly clientId?: string;
  /** WEB_APP_SCOPE: the scopes the page asks for, space-separated. */
  readonly scope: string;
}

export interface EventsConfig {
  /** WEBHOOK_ALLOWED_HOSTS: hosts a callback URL may name over http and at private addresses (lower case). */
  readonly allowedHosts: readonly string[];
  /** How long the dispatcher waits for a receiver's answer. */
  readonly webhookTimeoutMs: number;
  /** How often an idle dispatcher looks for due deliveries. */
  readonly webhookPollMs: number;
  /** Wait after a delivery's first failed attempt, doubled after each further one up to the most. */
  readonly webhookRetryFirstMs: number;
  readonly webhookRetryMaxMs: number;
  /** Attempts go on until an event is this old (at least a day by default). */
  readonly webhookRetryForMs: number;
  /** Deliveries one dispatcher sends at once. */
  readonly webhookConcurrency: number;
  /** How often a server-sent event stream reads the state of what it follows. */
  readonly streamPollMs: number;
  /** A comment line this often keeps an idle stream's connection open through proxies. */
  readonly streamHeartbeatMs: number;
  /** Event streams one caller (token subject) may hold open in this process at once. */
  readonly streamMaxPerCaller: number;
  /** Event streams this process holds open at once. */
  readonly streamMax: number;
  /** How often an open stream checks again that its caller may still see what it follows. */
  readonly streamRecheckMs: number;
}

export interface BlobStoreConfig {
  /** BLOB_STORE_URL=s3://bucket/prefix: an object store; absent: the folder DATA_DIR. */
  readonly s3?: {
    readonly bucket: string;
    /** Key prefix inside the bucket, without slashes at its ends; '' for none. */
    readonly prefix: string;
    /** S3_ENDPOINT: for stores other than AWS (MinIO, Ceph, …); AWS's own when absent. */
    readonly endpoint?: string;
    readonly region: string;
    /** S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY; absent: the AWS SDK's own chain (AWS_* variables, roles). */
    readonly accessKeyId?: string;
    readonly secretAccessKey?: string;
    /** S3_FORCE_PATH_STYLE: bucket in the path, not the host name (what most non-AWS stores need). */
    readonly forcePathStyle: boolean;
  };
  /**
   * BLOB_DOWNLOADS: `stream` (the default) sends a download's bytes through the service; `redirect`
   * answers 302 to the object store's own signed URL, which clients must be able to reach.
   */
  readonly downloads: 'stream' | 'redirect';
}

export interface MetricsConfig {
  /** METRICS=on (the default) serves GET /metrics; off answers 404 there. */
  readonly enabled: boolean;
  /** METRICS_TOKEN: when set, /metrics needs `Authorization: Bearer <token>`. */
  readonly token?: string;
}

/**
 * How long a client may take to send a request. Headers and a JSON body have a whole-request limit; a
 * body that stops arriving is cut after its idle limit; uploads, which may rightly take hours, have
 * only an idle limit. All in milliseconds.
 */
export interface TimeoutsConfig {
  /** From a request's first byte to the end of its headers (also a new connection that sends nothing). */
  readonly headersMs: number;
  /** From the end of a request's headers to the last byte of its body; not applied to uploads. */
  readonly requestMs: number;
  /** Longest silence while a request body (not an upload) is arriving. */
  readonly bodyIdleMs: number;
  /** Longest silence while an upload streams; also the age after which the sweep removes a `.partial` file. */
  readonly uploadIdleMs: number;
  /** How long an idle keep-alive connection stays open (longer than the load balancer's own idle timeout). */
  readonly keepAliveMs: number;
}

/** Runs and the workers that execute them. */
export interface RunsConfig {
  /** A run still active this long after it was requested ends TimedOut. */
  readonly runTimeoutMs: number;
  /** Runs one worker process executes at once. */
  readonly workerConcurrency: number;
  /** Connector processes (IFC converters, `command` programs) one worker process runs at once. */
  readonly connectorProcesses: number;
  /** A worker that stops renewing its lease this long loses the run to another worker. */
  readonly leaseMs: number;
  /** How often an idle worker looks for queued runs. */
  readonly pollMs: number;
  /** Failed task attempts retried (state WaitingToRetry) before the task ends in Error. */
  readonly maxRetries: number;
  /** Wait before the first retry; doubled for each further one. */
  readonly retryBackoffMs: number;
  /** Which connector runs each connector type (docs/connectors.md). */
  readonly connectors: ConnectorsConfig;
  /**
   * Checkpoint files kept per iModel besides named versions' (the newest ones; the latest is always
   * kept). Older ones are pruned; their changesets answer with the preceding kept checkpoint.
   */
  readonly checkpointsKept: number;
  /** Where and how manifest connections' files are downloaded (docs/manifest-connections.md). */
  readonly manifest: ManifestDownloadConfig;
}

/** Downloads of manifest files by the worker: only from allowed hosts, never to non-public addresses unless allowed, bounded. */
export interface ManifestDownloadConfig {
  /** Host names (`files.example.com`), suffixes (`*.example.com`) or IP literals, each with an optional `:port`; empty = none. */
  readonly allowedHosts: readonly string[];
  /** CIDR ranges of non-public addresses that may be contacted all the same (e.g. an internal document system). */
  readonly allowedAddresses: readonly string[];
  readonly maxFileBytes: number;
  readonly connectTimeoutMs: number;
  /** Longest silence while waiting for the answer or its body. */
  readonly idleTimeoutMs: number;
  /** Longest whole download of one file. */
  readonly totalTimeoutMs: number;
  readonly maxRedirects: number;
}

export interface AuthConfig {
  /** `builtin`: twinsync signs its own tokens; `external`: verify an OpenID provider's tokens. */
  readonly mode: 'builtin' | 'external';
  /** Expected `iss`. For the built-in issuer it is the public URL. */
  readonly issuer: string;
  readonly jwksUrl?: string;
  /** Expected `aud`; undefined = not checked (external issuers only). */
  readonly audience?: string;
  readonly clockSkewSeconds: number;
  readonly tokenTtlSeconds: number;
  /** External issuer: least time between two JWKS fetches caused by unknown `kid`s. */
  readonly jwksCooldownSeconds: number;
  /**
   * External issuer: where to ask for the address of a user whose token has none (AUTH_USERINFO_URL);
   * undefined: the provider's discovery document says; `off`: never asked.
   */
  readonly userinfoUrl?: string;
  /** Built-in issuer: lifetimes of authorization codes, refresh tokens and sign-ins (docs/sign-in.md). */
  readonly signIn: SignInSettings;
  /**
   * Built-in issuer: the first account, made once per deployment if it has none (AUTH_ADMIN_EMAIL,
   * and AUTH_ADMIN_PASSWORD, or a random password shown once in the start banner).
   */
  readonly admin: { readonly email: string; readonly password?: string };
}

export interface RateLimitConfig {
  readonly max: number;
  readonly windowMs: number;
  /** REDIS_URL: counters shared by every API process using it; unset, each process counts alone. */
  readonly redisUrl?: string;
  /** Prefix of every Redis key twinsync writes, so that several deployments can share one Redis. */
  readonly redisKeyPrefix: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(name: string, raw: string, protocols: string[]): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')}, got "${raw}"`);
  }
  return parsed;
}

/** Hrefs must keep Bentley's path positions, so the public URL is an origin without a path. */
function publicUrlFrom(env: Env, host: string, port: number): string {
  const raw = env.PUBLIC_URL?.trim();
  if (!raw) {
    const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    return `http://${shownHost}:${port}`;
  }
  const parsed = url('PUBLIC_URL', raw, ['http:', 'https:']);
  if (parsed.pathname !== '/' || parsed.search || parsed.hash) {
    throw new ConfigError(`PUBLIC_URL must be an origin without a path (clients read ids by path position), got "${raw}"`);
  }
  return parsed.origin;
}

function databaseUrlFrom(env: Env, dataDir: string): string {
  const raw = env.DATABASE_URL?.trim();
  if (!raw) return `sqlite:${path.join(dataDir, 'twinsync.db')}`;
  if (raw.startsWith('sqlite:')) return raw;
  url('DATABASE_URL', raw, ['postgres:', 'postgresql:']);
  return raw;
}

/** `s3://bucket/some/prefix` (the prefix optional) and the S3_* settings beside it. */
function blobStoreFrom(env: Env): BlobStoreConfig {
  const downloads = env.BLOB_DOWNLOADS?.trim() || 'stream';
  if (downloads !== 'stream' && downloads !== 'redirect') throw new ConfigError(`BLOB_DOWNLOADS must be stream or redirect, got "${downloads}"`);
  const raw = env.BLOB_STORE_URL?.trim();
  if (!raw) return Object.freeze({ downloads });
  let location: { bucket: string; prefix: string };
  try {
    location = parseBlobStoreUrl(raw);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const endpoint = env.S3_ENDPOINT?.trim() || undefined;
  if (endpoint) url('S3_ENDPOINT', endpoint, ['http:', 'https:']);
  const accessKeyId = env.S3_ACCESS_KEY_ID?.trim() || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY?.trim() || undefined;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or neither)');
  const pathStyle = env.S3_FORCE_PATH_STYLE?.trim();
  if (pathStyle && !['true', 'false'].includes(pathStyle)) throw new ConfigError(`S3_FORCE_PATH_STYLE must be true or false, got "${pathStyle}"`);
  return Object.freeze({
    downloads,
    s3: Object.freeze({
      ...location,
      endpoint,
      region: env.S3_REGION?.trim() || 'us-east-1',
      accessKeyId,
      secretAccessKey,
      // Stores other than AWS mostly serve buckets by path only.
      forcePathStyle: pathStyle ? pathStyle === 'true' : endpoint !== undefined,
    }),
  });
}

function redisFrom(env: Env): { redisUrl?: string; redisKeyPrefix: string } {
  const raw = env.REDIS_URL?.trim();
  if (raw) url('REDIS_URL', raw, ['redis:', 'rediss:']);
  const redisKeyPrefix = env.REDIS_KEY_PREFIX?.trim() || 'twinsync:';
  if (!/^[\x21-\x7e]{1,100}$/.test(redisKeyPrefix)) {
    throw new ConfigError(`REDIS_KEY_PREFIX must be 1 to 100 visible ASCII characters, got "${redisKeyPrefix}"`);
  }
  return raw ? { redisUrl: raw, redisKeyPrefix } : { redisKeyPrefix };
}

/** From CONNECTORS (JSON text) or CONNECTORS_FILE (a JSON file); every type emulated when neither is set. */
function connectorsFrom(env: Env): ConnectorsConfig {
  const text = env.CONNECTORS?.trim();
  const file = env.CONNECTORS_FILE?.trim();
  if (text && file) throw new ConfigError('set CONNECTORS or CONNECTORS_FILE, not both');
  if (!text && !file) return defaultConnectorsConfig();
  let raw: string;
  try {
    raw = text ?? fs.readFileSync(file!, 'utf8');
  } catch (error) {
    throw new ConfigError(`CONNECTORS_FILE cannot be read: ${(error as Error).message}`);
  }
  const source = text ? 'CONNECTORS' : `CONNECTORS_FILE ${file}`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${source} is not valid JSON`);
  }
  try {
    return parseConnectorsConfig(value, source);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function metricsFrom(env: Env): MetricsConfig {
  const raw = env.METRICS?.trim().toLowerCase() || 'on';
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(`METRICS must be on or off, got "${env.METRICS}"`);
  const token = env.METRICS_TOKEN?.trim();
  // A bearer token's characters (RFC 6750), and long enough not to be guessed.
  if (token && !/^[A-Za-z0-9\-._~+/]{16,}=*$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / (for example: openssl rand -hex 32)');
  }
  return Object.freeze(token ? { enabled: raw === 'on', token } : { enabled: raw === 'on' });
}

/** CONSENT_REDIRECT_URLS: comma-separated absolute http(s) URLs, normalized. */
function signInFrom(env: Env): SignInSettings {
  const day = 24 * 3600;
  const refreshTokenTtlSeconds = integer(env, 'AUTH_REFRESH_TOKEN_TTL_SECONDS', DEFAULT_SIGN_IN_SETTINGS.refreshTokenTtlSeconds, 60, 365 * day);
  const sessionMaxSeconds = integer(env, 'AUTH_SESSION_MAX_SECONDS', DEFAULT_SIGN_IN_SETTINGS.sessionMaxSeconds, 60, 365 * day);
  return Object.freeze({ codeTtlSeconds: DEFAULT_SIGN_IN_SETTINGS.codeTtlSeconds, refreshTokenTtlSeconds, sessionMaxSeconds });
}

function adminFrom(env: Env): { email: string; password?: string } {
  let email: string;
  try {
    email = checkEmail(env.AUTH_ADMIN_EMAIL?.trim() || 'admin@twinsync.localhost');
  } catch (error) {
    if (error instanceof AccountProblem) throw new ConfigError(`AUTH_ADMIN_EMAIL must be an e-mail address, got "${env.AUTH_ADMIN_EMAIL}"`);
    throw error;
  }
  const password = env.AUTH_ADMIN_PASSWORD;
  if (password === undefined || password === '') return Object.freeze({ email });
  // Never the value itself in the message: it is a password.
  const problem = passwordProblem(password);
  if (problem) throw new ConfigError(`AUTH_ADMIN_PASSWORD is not usable: ${problem}`);
  return Object.freeze({ email, password });
}

function consentRedirectUrlsFrom(env: Env): string[] {
  const raw = env.CONSENT_REDIRECT_URLS?.trim();
  if (!raw) return [];
  return raw.split(',').map((entry) => {
    const parsed = url('CONSENT_REDIRECT_URLS', entry.trim(), ['http:', 'https:']);
    if (parsed.hostname === '') throw new ConfigError(`CONSENT_REDIRECT_URLS entries must name a host, got "${entry.trim()}"`);
    return parsed.href;
  });
}

function corsOriginsFrom(env: Env): string[] {
  const raw = env.CORS_ORIGINS?.trim();
  if (!raw || raw === '*') return ['*'];
  return raw.split(',').map((origin) => {
    const trimmed = origin.trim();
    const parsed = url('CORS_ORIGINS', trimmed, ['http:', 'https:']);
    if (parsed.origin !== trimmed.replace(/\/$/, '')) throw new ConfigError(`CORS_ORIGINS entries must be origins, got "${trimmed}"`);
    return parsed.origin;
  });
}

const HOST_RULE = /^(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;

/** MANIFEST_*: comma-separated host rules and CIDR ranges, checked here so a typo stops the start. */
function manifestFrom(env: Env): ManifestDownloadConfig {
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter((e) => e !== '');
  const allowedHosts = list('MANIFEST_ALLOWED_HOSTS');
  for (const rule of allowedHosts) {
    if (!HOST_RULE.test(rule))
      throw new ConfigError(`MANIFEST_ALLOWED_HOSTS entries are host names, *.suffixes or IP literals with an optional :port, got "${rule}"`);
  }
  const allowedAddresses = list('MANIFEST_ALLOWED_ADDRESSES');
  for (const range of allowedAddresses) {
    const [address, bits, extra] = range.split('/');
    const family = isIP(address ?? '');
    const max = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max))) {
      throw new ConfigError(`MANIFEST_ALLOWED_ADDRESSES entries are IP addresses or CIDR ranges (10.0.0.0/8), got "${range}"`);
    }
  }
  const hour = 3600 * 1000;
  return Object.freeze({
    allowedHosts: Object.freeze(allowedHosts),
    allowedAddresses: Object.freeze(allowedAddresses),
    maxFileBytes: integer(env, 'MANIFEST_MAX_FILE_BYTES', 2 * 1024 ** 3, 1, 1024 ** 4),
    connectTimeoutMs: integer(env, 'MANIFEST_CONNECT_TIMEOUT_MS', 10_000, 10, hour),
    idleTimeoutMs: integer(env, 'MANIFEST_IDLE_TIMEOUT_MS', 30_000, 10, hour),
    totalTimeoutMs: integer(env, 'MANIFEST_TOTAL_TIMEOUT_MS', hour, 10, 24 * hour),
    maxRedirects: integer(env, 'MANIFEST_MAX_REDIRECTS', 5, 0, 20),
  });
}

function timeoutsFrom(env: Env): TimeoutsConfig {
  const hour = 3600 * 1000;
  const timeouts = Object.freeze({
    headersMs: integer(env, 'HEADERS_TIMEOUT_MS', 20_000, 100, hour),
    requestMs: integer(env, 'REQUEST_TIMEOUT_MS', 60_000, 100, 24 * hour),
    bodyIdleMs: integer(env, 'BODY_IDLE_TIMEOUT_MS', 20_000, 100, hour),
    uploadIdleMs: integer(env, 'UPLOAD_IDLE_TIMEOUT_MS', 120_000, 100, 24 * hour),
    keepAliveMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 65_000, 100, hour),
  });
  // A body idle longer than the whole request could be cannot be the limit anybody meant.
  if (timeouts.bodyIdleMs > timeouts.requestMs) {
    throw new ConfigError(`BODY_IDLE_TIMEOUT_MS (${timeouts.bodyIdleMs}) must not exceed REQUEST_TIMEOUT_MS (${timeouts.requestMs})`);
  }
  return timeouts;
}

/** AUTH_USERINFO_URL: an http(s) URL, `off`, or unset (discovered from AUTH_ISSUER). */
function userinfoUrlFrom(env: Env): string | undefined {
  const value = env.AUTH_USERINFO_URL?.trim();
  if (!value) return undefined;
  if (value === 'off') return value;
  url('AUTH_USERINFO_URL', value, ['http:', 'https:']);
  return value;
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  // Development default: the banner prints a secret; containers set HOST=0.0.0.0 (README).
  const host = env.HOST?.trim() || '127.0.0.1';
  const publicUrl = publicUrlFrom(env, env.HOST?.trim() ? host : 'localhost', port);
  const dataDir = path.resolve(env.DATA_DIR?.trim() || './data');
  const databaseSchema = env.DATABASE_SCHEMA?.trim() || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    throw new ConfigError(`DATABASE_SCHEMA must be a lower-case SQL identifier, got "${databaseSchema}"`);
  }

  const externalIssuer = env.AUTH_ISSUER?.trim();
  const jwksUrl = env.AUTH_JWKS_URL?.trim();
  if (Boolean(externalIssuer) !== Boolean(jwksUrl)) {
    throw new ConfigError('AUTH_ISSUER and AUTH_JWKS_URL must be set together (or neither, for the built-in issuer)');
  }
  if (jwksUrl) url('AUTH_JWKS_URL', jwksUrl, ['http:', 'https:']);
  const auth: AuthConfig = Object.freeze({
    mode: externalIssuer ? 'external' : 'builtin',
    issuer: externalIssuer || publicUrl,
    jwksUrl: jwksUrl || undefined,
    audience: env.AUTH_AUDIENCE?.trim() || (externalIssuer ? undefined : 'twinsync'),
    clockSkewSeconds: integer(env, 'AUTH_CLOCK_SKEW_SECONDS', 30, 0, 600),
    tokenTtlSeconds: integer(env, 'AUTH_TOKEN_TTL_SECONDS', 3600, 60, 7 * 24 * 3600),
    jwksCooldownSeconds: integer(env, 'AUTH_JWKS_COOLDOWN_SECONDS', 30, 0, 3600),
    userinfoUrl: userinfoUrlFrom(env),
    signIn: signInFrom(env),
    admin: adminFrom(env),
  });

  const rateLimit: RateLimitConfig = Object.freeze({
    max: integer(env, 'RATE_LIMIT_MAX', 5000, 1, 1_000_000_000),
    windowMs: integer(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1, 24 * 3600 * 1000),
    ...redisFrom(env),
  });

  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "${logLevel}"`);
  }

  return Object.freeze({
    port,
    host,
    publicUrl,
    dataDir,
    databaseUrl: databaseUrlFrom(env, dataDir),
    databaseSchema,
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 1000),
    auth,
    rateLimit,
    logLevel,
    bodyLimit: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    uploadLimitBytes: integer(env, 'UPLOAD_LIMIT_BYTES', 1024 ** 3, 1, Number.MAX_SAFE_INTEGER),
    uploadUrlTtlSeconds: integer(env, 'UPLOAD_URL_TTL_SECONDS', 3600, 1, 7 * 24 * 3600),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    acceptHandles: integer(env, 'ACCEPT_HANDLES', 8, 1, 64),
    corsOrigins: Object.freeze(corsOriginsFrom(env)),
    consentRedirectUrls: Object.freeze(consentRedirectUrlsFrom(env)),
    timeouts: timeoutsFrom(env),
    uploadsPerCaller: integer(env, 'UPLOADS_PER_CALLER', 4, 1, 10_000),
    runs: runsFrom(env),
    metrics: metricsFrom(env),
    workerHealthPort: env.WORKER_HEALTH_PORT?.trim() ? integer(env, 'WORKER_HEALTH_PORT', 0, 1, 65535) : undefined,
    blobStore: blobStoreFrom(env),
    events: eventsFrom(env),
    webApp: webAppFrom(env, Boolean(externalIssuer)),
  });
}

/** The built-in issuer's client for the page (docs/web-app.md); its sign-in registers it under this id. */
export const BUILTIN_WEB_CLIENT_ID = 'twinsync-web';

function webAppFrom(env: Env, external: boolean): WebAppConfig {
  const raw = env.WEB_APP?.trim().toLowerCase() || 'on';
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(`WEB_APP must be on or off, got "${env.WEB_APP}"`);
  const clientId = env.WEB_APP_CLIENT_ID?.trim() || (external ? undefined : BUILTIN_WEB_CLIENT_ID);
  // RFC 6749's client_id and scope-token characters: they go into URLs and forms unchanged.
  if (clientId !== undefined && !/^[\x20-\x7e]{1,255}$/.test(clientId)) {
    throw new ConfigError('WEB_APP_CLIENT_ID must be 1 to 255 printable ASCII characters');
  }
  const scope = (env.WEB_APP_SCOPE?.trim() || 'openid itwin-platform').split(/\s+/).join(' ');
  if (!scope.split(' ').every((token) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(token))) {
    throw new ConfigError(`WEB_APP_SCOPE must be scope names separated by spaces, got "${env.WEB_APP_SCOPE}"`);
  }
  const dir = env.WEB_APP_DIR?.trim();
  return Object.freeze({ enabled: raw === 'on', ...(dir ? { dir: path.resolve(dir) } : {}), ...(clientId ? { clientId } : {}), scope });
}

function eventsFrom(env: Env): EventsConfig {
  const hour = 3600 * 1000;
  const allowedHosts = (env.WEBHOOK_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((h) =>
      h
        .trim()
        .toLowerCase()
        .replace(/^\[|\]$/g, ''),
    )
    .filter(Boolean);
  return Object.freeze({
    allowedHosts: Object.freeze(allowedHosts),
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 5 * 60_000),
    webhookPollMs: integer(env, 'WEBHOOK_POLL_MS', 1000, 10, 60_000),
    webhookRetryFirstMs: integer(env, 'WEBHOOK_RETRY_FIRST_MS', 30_000, 10, hour),
    webhookRetryMaxMs: integer(env, 'WEBHOOK_RETRY_MAX_MS', hour, 10, 24 * hour),
    webhookRetryForMs: integer(env, 'WEBHOOK_RETRY_FOR_MS', 25 * hour, 100, 30 * 24 * hour),
    webhookConcurrency: integer(env, 'WEBHOOK_CONCURRENCY', 8, 1, 256),
    streamPollMs: integer(env, 'EVENT_STREAM_POLL_MS', 500, 10, 60_000),
    streamHeartbeatMs: integer(env, 'EVENT_STREAM_HEARTBEAT_MS', 15_000, 10, 10 * 60_000),
    streamMaxPerCaller: integer(env, 'EVENT_STREAM_MAX_PER_CALLER', 8, 1, 1000),
    streamMax: integer(env, 'EVENT_STREAM_MAX', 1000, 1, 100_000),
    streamRecheckMs: integer(env, 'EVENT_STREAM_RECHECK_MS', 30_000, 10, hour),
  });
}

/**
 * Runs and workers. How many runs a worker drives at once: 8 where no connector starts a process
 * (emulated runs spend their time waiting on the database and the blob store), else no more than
 * the connector processes it may run (a run beyond them would hold its lease, its task shown
 * Executing, while it waits for a process another worker could have given it). Docs/decisions.md,
 * "worker concurrency".
 */
function runsFrom(env: Env): RunsConfig {
  const connectors = connectorsFrom(env);
  const connectorProcesses = integer(env, 'CONNECTOR_PROCESSES', machineCores(), 1, 256);
  const startsProcesses = Object.values(connectors.types).some((settings) => settings.kind !== 'emulate');
  return Object.freeze({
    runTimeoutMs: integer(env, 'RUN_TIMEOUT_MS', 4 * 3600 * 1000, 100, 7 * 24 * 3600 * 1000),
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', startsProcesses ? Math.min(4, connectorProcesses) : 8, 1, 64),
    connectorProcesses,
    leaseMs: integer(env, 'WORKER_LEASE_MS', 30_000, 300, 3600 * 1000),
    pollMs: integer(env, 'WORKER_POLL_MS', 1000, 10, 60_000),
    maxRetries: integer(env, 'TASK_MAX_RETRIES', 3, 0, 100),
    retryBackoffMs: integer(env, 'TASK_RETRY_BACKOFF_MS', 2000, 0, 3600 * 1000),
    connectors,
    checkpointsKept: integer(env, 'CHECKPOINTS_KEPT', 10, 1, 1_000_000),
    manifest: manifestFrom(env),
  });
}
