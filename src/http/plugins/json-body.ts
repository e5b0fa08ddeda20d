import type { FastifyInstance } from 'fastify';
import { errors } from '../../domain/errors.js';
import { MalformedBody } from '../../domain/request-body.js';
import { hasBody } from '../has-body.js';

export const MAX_JSON_DEPTH = 32;

/**
 * JSON bodies are parsed here and never rejected here: a body that is not JSON becomes a
 * MalformedBody and an empty one `undefined`, and each operation answers them with its own codes
 * (the API answers malformed JSON with a 422 detail, not a 400). Oversized bodies are refused by Fastify's
 * bodyLimit before parsing (413).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  for (const type of [JSON_TYPE, JSON_SUFFIX_TYPE]) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, text, done) => done(null, parseJson(text as string)));
  }
  // A JSON operation given a body that is not JSON is 415, as one given a body without Content-Type
  // is (Fastify). Form bodies (`curl -d` sends any body as a form) have no parser outside the token
  // endpoint and the consent form (plugins/form-body.ts), so Fastify refuses them first; this check
  // catches what Fastify's own text/plain parser would hand over. Body-less POSTs (run, complete) pass.
  // preValidation: after authentication (preParsing), so a request without credentials is a 401 first.
  app.addHook('preValidation', async (request) => {
    const media = request.routeOptions.config.operation?.media;
    if (media === undefined || media === 'any' || !hasBody(request.headers)) return;
    const type = request.headers['content-type']?.split(';')[0]!.trim().toLowerCase() ?? '';
    if (type !== JSON_TYPE && !JSON_SUFFIX_TYPE.test(type)) throw errors.unsupportedMediaType();
  });
}

const JSON_TYPE = 'application/json';
const JSON_SUFFIX_TYPE = /^application\/[\w.+-]+\+json(\s*;.*)?$/;

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new MalformedBody('Error parsing JSON, malformed JSON.');
  }
  const problem = shapeProblem(value, MAX_JSON_DEPTH);
  if (problem === 'depth') return new MalformedBody(`Error parsing JSON, nesting deeper than ${MAX_JSON_DEPTH} levels.`);
  if (problem === 'nul') return new MalformedBody('Error parsing JSON, a string holds the character U+0000.');
  return value;
}

/**
 * Nesting beyond `limit`, or a string (value or property name) holding U+0000: JSON allows it, but
 * PostgreSQL cannot store it in text, and SQLite would; refusing it here keeps both stores alike and
 * answers it as malformed input rather than as a server error. Iterative, so that a hostile body
 * cannot exhaust the stack.
 */
function shapeProblem(root: unknown, limit: number): 'depth' | 'nul' | undefined {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0')) return 'nul';
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return 'depth';
    if (Array.isArray(value)) {
      for (const child of value) stack.push([child, depth + 1]);
    } else {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\0')) return 'nul';
        stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}
