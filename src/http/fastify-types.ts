import type {} from '@fastify/swagger';
import type { Caller } from '../domain/caller.js';
import type { ApiError } from '../domain/errors.js';
import type { Operation } from './operations.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operations-table entry of the route (every route of the service has one). */
    operation?: Operation;
  }
  interface FastifyRequest {
    /** Set by the authenticate plugin once a bearer token verified. */
    caller?: Caller;
    /** Why authentication failed; rejected after the rate limiter has counted the request. */
    authError?: ApiError;
  }
}
