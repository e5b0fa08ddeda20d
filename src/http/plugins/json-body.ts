import type { FastifyInstance } from 'fastify';
import { MalformedBody } from '../../domain/request-body.js';

export const MAX_JSON_DEPTH = 32;

/**
 * JSON bodies are parsed here and never rejected here: a body that is not JSON becomes a
 * MalformedBody and an empty one `undefined`, and each operation answers them with its own codes
 * (the seed wants malformed JSON as a 422 detail). Oversized bodies are refused by Fastify's
 * bodyLimit before parsing (413).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  for (const type of ['application/json', /^application\/[\w.+-]+\+json(\s*;.*)?$/]) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_request, text, done) => done(null, parseJson(text as string)));
  }
}

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
