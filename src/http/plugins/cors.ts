import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * Browser clients (the Bentley sample app) call with `Authorization`, `Content-Type`, `Prefer` and
 * read `Location` after a 201/202; without credentials, so `*` is a safe default origin.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  await app.register(cors, {
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Prefer', 'Accept', 'x-ms-blob-type'],
    exposedHeaders: ['Location', 'retry-after', 'Preference-Applied', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'],
    maxAge: 600,
  });
}
