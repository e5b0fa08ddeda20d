import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { TokenRejected, type TokenVerifier } from '../../auth/token-verifier.js';
import type { Caller } from '../../domain/caller.js';
import { ApiError, errors } from '../../domain/errors.js';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-_.~+/]+=*)[ \t]*$/i;

/** Rejection lines per reason and window; beyond it they are counted and summed up once (see RejectionLog). */
export const REJECTION_LOG_LIMIT = 20;
export const REJECTION_LOG_WINDOW_MS = 60_000;

/**
 * Bearer authentication in two steps. `onRequest` identifies the caller (so the rate limiter can
 * key on the verified client), `preParsing` rejects: a request without valid credentials never has
 * its body read. Operations whose table entry has no scopes are public. Each rejection is logged
 * with its reason (never the token), within REJECTION_LOG_LIMIT lines per reason per minute.
 */
export function registerAuthentication(app: FastifyInstance, verifier: TokenVerifier): void {
  const rejections = new RejectionLog();

  app.addHook('onRequest', async (request) => {
    const scopes = request.routeOptions.config.operation?.scopes;
    if (!scopes) return;
    try {
      request.caller = await identify(request, verifier);
    } catch (error) {
      const rejection = rejectionOf(error);
      request.authError = rejection.answer as never;
      rejections.log(request.log, { ...rejection, request });
    }
  });

  app.addHook('preParsing', async (request) => {
    const scopes = request.routeOptions.config.operation?.scopes;
    if (!scopes) return;
    if (request.authError) throw request.authError;
    const caller = request.caller!;
    if (!scopes.some((s) => caller.scopes.has(s))) {
      rejections.log(request.log, { reason: 'missing-scope', clientId: caller.clientId, request, needed: scopes });
      throw errors.requiredScopeMissing(scopes);
    }
  });
}

/** The token of an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

async function identify(request: FastifyRequest, verifier: TokenVerifier): Promise<Caller> {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') throw errors.headerNotFound();
  const token = bearerToken(header);
  if (token === undefined) {
    if (!/^Bearer\b/i.test(header.trim())) throw errors.invalidAuthorizationScheme();
    throw new TokenRejected('malformed');
  }
  return verifier.verify(token);
}

interface Rejection {
  answer: ApiError;
  reason: string;
  clientId?: string;
  /** Why the verifier itself failed, when it did not reject the token for a reason of its own. */
  cause?: string;
}

/**
 * What a failed identification answers and logs. The verifier's rejections carry their reason; no
 * header and another scheme are identify's own. Anything else is the verifier failing (a bug, or
 * keys it could not use) rather than a verdict on the token: it is logged as `verifier-error` with
 * its cause, at warn, and the client is told its token was not accepted (401, not a 500: a request
 * with a bearer token cannot be served without verifying it, and sending the same one again should
 * not be encouraged as it would for a 5xx).
 */
function rejectionOf(error: unknown): Rejection {
  if (error instanceof TokenRejected) return { answer: error, reason: error.reason, clientId: error.clientId };
  if (error instanceof ApiError && error.code === 'HeaderNotFound') return { answer: error, reason: 'missing-header' };
  if (error instanceof ApiError && error.code === 'InvalidAuthorizationScheme') return { answer: error, reason: 'wrong-scheme' };
  // Name and message only: no stack, and nothing of the token (the verifier's errors do not hold it).
  const cause = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { answer: errors.invalidToken(), reason: 'verifier-error', cause };
}

/**
 * Rate-conscious rejection log: a flood of bad tokens (a misconfigured client retrying, an attacker)
 * must not flood the log. Per reason, the first REJECTION_LOG_LIMIT rejections of each
 * REJECTION_LOG_WINDOW_MS window are logged at `info`; the rest are counted, and the first rejection
 * after the window logs at `warn` how many of each reason went unlogged. Memory: one counter per reason.
 */
export class RejectionLog {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit = REJECTION_LOG_LIMIT,
    private readonly windowMs = REJECTION_LOG_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  log(logger: FastifyBaseLogger, entry: { reason: string; clientId?: string; request: FastifyRequest; needed?: readonly string[]; cause?: string }): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      const unlogged = Object.fromEntries([...this.counts].filter(([, n]) => n > this.limit).map(([reason, n]) => [reason, n - this.limit]));
      if (Object.keys(unlogged).length > 0) logger.warn({ unlogged, windowMs: this.windowMs }, 'token rejections not logged (over the limit per minute)');
      this.windowStart = now;
      this.counts = new Map();
    }
    const count = (this.counts.get(entry.reason) ?? 0) + 1;
    this.counts.set(entry.reason, count);
    if (count > this.limit) return;
    // A verifier that fails (cause set) is the service's problem, not the caller's: warn.
    logger[entry.cause === undefined ? 'info' : 'warn'](
      {
        reason: entry.reason,
        op: entry.request.routeOptions.config.operation?.id,
        ip: entry.request.ip,
        ...(entry.clientId ? { client: entry.clientId } : {}),
        ...(entry.needed ? { needed: entry.needed } : {}),
        ...(entry.cause !== undefined ? { cause: entry.cause } : {}),
        ...(count === this.limit ? { lastUntilWindowEnds: true } : {}),
      },
      'request rejected: token not accepted',
    );
  }
}

/** The caller of an authenticated operation (the hooks above guarantee it is set). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw errors.headerNotFound();
  return request.caller;
}
