import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../domain/errors.js';

/**
 * Browser clients (the Bentley sample app) call with `Authorization`, `Content-Type`, `Prefer` and
 * read `Location` after a 201/202; without credentials, so `*` is a safe default origin.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  // An OPTIONS request that is not a preflight is refused here, in the error shape (the plugin's own
  // strict check answers it in plain text). Added before the plugin's hook, so it runs first.
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS' && (!request.headers.origin || !request.headers['access-control-request-method'])) {
      throw errors.invalidPreflight();
    }
  });
  await app.register(cors, {
    strictPreflight: false,
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Prefer', 'Accept', 'x-ms-blob-type'],
    exposedHeaders: ['Location', 'retry-after', 'Preference-Applied', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
    maxAge: 600,
  });
}
