import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '../../auth/token-verifier.js';
import type { Caller } from '../../domain/caller.js';
import { errors } from '../../domain/errors.js';

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-_.~+/]+=*)[ \t]*$/i;

/**
 * Bearer authentication in two steps. `onRequest` identifies the caller (so the rate limiter can
 * key on the verified client), `preParsing` rejects: a request without valid credentials never has
 * its body read. Operations whose table entry has no scopes are public.
 */
export function registerAuthentication(app: FastifyInstance, verifier: TokenVerifier): void {
  app.addHook('onRequest', async (request) => {
    const scopes = request.routeOptions.config.operation?.scopes;
    if (!scopes) return;
    try {
      request.caller = await identify(request, verifier);
    } catch (error) {
      request.authError = error as never;
    }
  });

  app.addHook('preParsing', async (request) => {
    const scopes = request.routeOptions.config.operation?.scopes;
    if (!scopes) return;
    if (request.authError) throw request.authError;
    const caller = request.caller!;
    if (!scopes.some((s) => caller.scopes.has(s))) throw errors.requiredScopeMissing(scopes);
  });
}

async function identify(request: FastifyRequest, verifier: TokenVerifier): Promise<Caller> {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') throw errors.headerNotFound();
  const match = BEARER.exec(header);
  if (!match) {
    if (!/^Bearer\b/i.test(header.trim())) throw errors.invalidAuthorizationScheme();
    throw errors.invalidToken();
  }
  return verifier.verify(match[1]!);
}

/** The caller of an authenticated operation (the hooks above guarantee it is set). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw errors.headerNotFound();
  return request.caller;
}
