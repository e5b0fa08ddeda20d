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
  if (depthExceeds(value, MAX_JSON_DEPTH)) {
    return new MalformedBody(`Error parsing JSON, nesting deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  return value;
}

/** Iterative, so that a hostile body cannot exhaust the stack here. */
function depthExceeds(root: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
