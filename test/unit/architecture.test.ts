import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

/**
 * The layering of ARCHITECTURE.md, checked on every `npm test` rather than by goodwill. Each module
 * under src/ is in a layer; a module may import its own layer and the layers below, never above,
 * and a few pairs are ruled out even though they point down (the HTTP layer and the worker reach
 * the store only through the domain's Store interface, which the composition root hands them).
 *
 * Imports are read with TypeScript's own pre-processor (static, type-only, dynamic `import()` and
 * `require`), so nothing is missed because it is written differently.
 */

const SRC = path.resolve(import.meta.dirname, '../../src');
/** The web page's sources (docs/web-app.md): a client of the service, built apart, served as files. */
const WEB = path.resolve(import.meta.dirname, '../../web');

/** Lowest first. A path is matched by its longest listed prefix (a folder, or a file at the root of src). */
const LAYERS: readonly (readonly string[])[] = [
  // Rules and domain types; defines the Store interface. Knows neither HTTP nor SQL.
  ['domain', 'shared'],
  // Adapters and infrastructure the domain knows nothing of.
  ['store', 'blobs', 'connectors', 'model-view', 'auth', 'metrics', 'config.ts', 'machine-cores.ts', 'logger.ts', 'start-errors.ts'],
  // Drivers: the HTTP service, the worker, the command-line tools, Redis-shared rate limits.
  ['http', 'worker', 'cli', 'redis'],
  // Composition: builds the app, opens the store, starts everything.
  ['app.ts', 'start.ts', 'main.ts', 'banner.ts'],
];

/** Imports forbidden even where the layers allow them: `[from, to, why]`. */
const FORBIDDEN_PAIRS: readonly [string, string, string][] = [
  ['http', 'store', 'HTTP reaches the store only through the domain (src/domain/store.ts)'],
  ['app.ts', 'store', 'the app is given a Store; only start.ts opens one'],
  ['worker', 'store', 'the worker reaches the store only through the domain (src/domain/store.ts)'],
  ['metrics', 'store', 'metrics read the store through the domain (src/domain/store.ts)'],
  ['connectors', 'store', 'connectors convert files; they never touch the store'],
  ['model-view', 'store', 'the model export reads checkpoint files; it never touches the store'],
  ['blobs', 'store', "the blob store keeps bytes; rows are the store's"],
];

/** Packages an area may not import: the SQL drivers and query builder, the HTTP framework. */
const SQL_AND_HTTP = ['kysely', 'pg', 'better-sqlite3', 'fastify', '@fastify/'];
const FORBIDDEN_PACKAGES: Record<string, readonly string[]> = {
  domain: [...SQL_AND_HTTP, 'ioredis', 'typebox', 'prom-client'],
  shared: [...SQL_AND_HTTP, 'ioredis'],
  worker: SQL_AND_HTTP,
  connectors: SQL_AND_HTTP,
  'model-view': SQL_AND_HTTP,
};

interface Violation {
  file: string;
  imported: string;
  why: string;
}

function areaOf(relative: string): string | undefined {
  // Imports name the compiled file (`./config.js`); the source is `config.ts`.
  const first = relative.split('/')[0]!.replace(/\.js$/, '.ts');
  return LAYERS.flat().includes(first) ? first : undefined;
}

function layerOf(area: string): number {
  return LAYERS.findIndex((layer) => layer.includes(area));
}

function matchesPackage(specifier: string, banned: string): boolean {
  return banned.endsWith('/') ? specifier.startsWith(banned) : specifier === banned || specifier.startsWith(`${banned}/`);
}

/** The violations of one file, given its path relative to src/ and the specifiers it imports. */
export function violationsOf(file: string, specifiers: readonly string[]): Violation[] {
  const from = areaOf(file);
  if (!from) return [{ file, imported: '', why: `src/${file} is in no layer: add its folder to LAYERS in test/unit/architecture.test.ts` }];
  const found: Violation[] = [];
  for (const imported of specifiers) {
    if (imported.startsWith('.')) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), imported));
      if (target.startsWith('..')) {
        found.push({ file, imported, why: 'imports from outside src/' });
        continue;
      }
      const to = areaOf(target);
      if (!to) {
        found.push({ file, imported, why: `src/${target} is in no layer` });
        continue;
      }
      if (layerOf(to) > layerOf(from)) found.push({ file, imported, why: `${from} (layer ${layerOf(from)}) imports upward from ${to} (layer ${layerOf(to)})` });
      for (const [a, b, why] of FORBIDDEN_PAIRS) if (from === a && to === b) found.push({ file, imported, why });
    } else {
      for (const banned of FORBIDDEN_PACKAGES[from] ?? []) {
        if (matchesPackage(imported, banned)) found.push({ file, imported, why: `${from} may not import ${banned}` });
      }
    }
  }
  return found;
}

/** The relative imports of a file of web/ (path relative to web/) that leave web/. */
function importsLeavingWeb(file: string, specifiers: readonly string[]): string[] {
  return specifiers
    .filter((imported) => imported.startsWith('.') && path.posix.normalize(path.posix.join(path.posix.dirname(file), imported)).startsWith('..'))
    .map((imported) => `web/${file} → ${imported}`);
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

describe('architecture: the dependency rule', () => {
  it('no module under src/ imports upward, across a forbidden pair, or a forbidden package', () => {
    const violations = sourceFiles(SRC).flatMap((full) => violationsOf(path.relative(SRC, full).split(path.sep).join('/'), importsOf(full)));
    assert.deepEqual(
      violations.map((v) => `src/${v.file} → ${v.imported}: ${v.why}`),
      [],
    );
  });

  it('the web page and the service meet over HTTP only: web/ imports nothing outside itself, src/ nothing of web/', () => {
    const outside = sourceFiles(WEB).flatMap((full) => importsLeavingWeb(path.relative(WEB, full), importsOf(full)));
    assert.deepEqual(outside, []);
    assert.deepEqual(importsLeavingWeb('src/app.tsx', ['../../src/config.js', './router', '../vite.config.mjs']), ['web/src/app.tsx → ../../src/config.js']);
    // src/ importing web/ is already "imports from outside src/" in the rule above.
    assert.match(violationsOf('http/routes/web-app/index.ts', ['../../../../web/src/api/paths.js'])[0]!.why, /outside src/);
  });

  it('the check sees each kind of violation (so that a broken rule cannot pass silently)', () => {
    const kinds = (file: string, specifiers: string[]) => violationsOf(file, specifiers).map((v) => v.why);
    assert.match(kinds('domain/itwins/get-itwin.ts', ['kysely'])[0]!, /domain may not import kysely/);
    assert.match(kinds('domain/itwins/get-itwin.ts', ['../../store/store.js'])[0]!, /imports upward/);
    assert.match(kinds('domain/itwins/get-itwin.ts', ['../../http/context.js'])[0]!, /imports upward/);
    assert.match(kinds('worker/worker.ts', ['fastify'])[0]!, /worker may not import fastify/);
    assert.match(kinds('worker/worker.ts', ['@fastify/cors'])[0]!, /worker may not import @fastify\//);
    assert.match(kinds('worker/worker.ts', ['../store/store.js'])[0]!, /only through the domain/);
    assert.match(kinds('http/routes/itwins/get-itwin.ts', ['../../../store/store.js'])[0]!, /HTTP reaches the store only through the domain/);
    assert.match(kinds('store/store.ts', ['../http/context.js'])[0]!, /imports upward/);
    assert.match(kinds('store/store.ts', ['../start.js'])[0]!, /imports upward/);
    assert.match(kinds('newfolder/x.ts', [])[0]!, /in no layer/);
    // Allowed: downward, sideways within a layer, the composition root opening the store.
    assert.deepEqual(kinds('http/routes/itwins/get-itwin.ts', ['../../../domain/itwins/get-itwin.js', 'fastify']), []);
    assert.deepEqual(kinds('store/store.ts', ['../domain/store.js', 'kysely']), []);
    assert.deepEqual(kinds('start.ts', ['./store/store.js', './http/listening/listen.js']), []);
    assert.deepEqual(kinds('domain/itwins/get-itwin.ts', ['node:fs', '../ids.js']), []);
  });
});
