import type { FastifyInstance } from 'fastify';
import { errors } from '../../domain/errors.js';

const SERVED = new Set(['*/*', 'application/*', 'application/json', 'application/vnd.bentley.itwin-platform.v1+json']);
/** The iModels API is at v2 and still serves v1: its clients send either. */
const SERVED_V1_V2 = new Set([...SERVED, 'application/vnd.bentley.itwin-platform.v2+json']);

/**
 * `Accept` as docs/api-contract.md states: absent, `*\/*`, `application/json` and the platform's v1 media
 * type are served (real clients often send none); anything else, such as another `…vN+json`, is a
 * 406 naming the supported version. A range with q=0 is a refusal, not an offer.
 */
export function accepts(header: string | undefined, served: ReadonlySet<string> = SERVED): boolean {
  if (header === undefined || header.trim() === '') return true;
  for (const part of header.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!type || !served.has(type)) continue;
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    return true;
  }
  return false;
}

/** Registered after authentication, so that a request without credentials is a 401 first. */
export function registerAcceptCheck(app: FastifyInstance): void {
  app.addHook('preParsing', async (request) => {
    const media = request.routeOptions.config.operation?.media;
    if (media === 'platform-v1' && !accepts(request.headers.accept)) throw errors.notAcceptable();
    if (media === 'platform-v1-v2' && !accepts(request.headers.accept, SERVED_V1_V2)) throw errors.notAcceptableIModels();
  });
}
