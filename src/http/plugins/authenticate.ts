import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { TokenRejected, type TokenVerifier } from '../../auth/token-verifier.js';
import type { Caller } from '../../domain/caller.js';
import { errors } from '../../domain/errors.js';

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
      request.authError = error as never;
      const reason = error instanceof TokenRejected ? error.reason : reasonOf(request);
      if (reason) rejections.log(request.log, { reason, clientId: error instanceof TokenRejected ? error.clientId : undefined, request });
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

async function identify(request: FastifyRequest, verifier: TokenVerifier): Promise<Caller> {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') throw errors.headerNotFound();
  const match = BEARER.exec(header);
  if (!match) {
    if (!/^Bearer\b/i.test(header.trim())) throw errors.invalidAuthorizationScheme();
    throw new TokenRejected('malformed');
  }
  return verifier.verify(match[1]!);
}

/** The reason of a rejection that did not come from the verifier (no or another scheme). */
function reasonOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') return 'missing-header';
  return 'wrong-scheme';
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

  log(
    logger: FastifyBaseLogger,
    entry: { reason: string; clientId?: string; request: FastifyRequest; needed?: readonly string[] },
  ): void {
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
    logger.info(
      {
        reason: entry.reason,
        op: entry.request.routeOptions.config.operation?.id,
        ip: entry.request.ip,
        ...(entry.clientId ? { client: entry.clientId } : {}),
        ...(entry.needed ? { needed: entry.needed } : {}),
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
