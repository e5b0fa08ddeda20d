import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const runtime = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.optionalDependencies ?? {})]);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(relative);
    return /\.(ts|tsx|mts|mjs|cjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.mts') ? [relative] : [];
  });
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`); undefined for relative and node: ones. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

/** Every package a file loads at run time: static and dynamic imports, require and import.meta.resolve; not `import type`. */
function loadedPackages(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/^\s*import\s+'([^']+)'/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\b(?:import|require|import\.meta\.resolve)\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!),
  ];
  return specifiers.map(packageOf).filter((name): name is string => name !== undefined);
}

/**
 * A production install (`npm ci --omit=dev`) has no devDependencies, and builds dist/ from src/ at
 * install (the prepare script): whatever src/ or the build loads must be a dependency (or an optional
 * one, which the code checks for before use). pino-pretty, a devDependency, is asked for by name
 * only where it is installed (logger.ts).
 */
describe('production install: the service and its build need no devDependency', () => {
  it('finds what a file loads (static, dynamic, resolved), and not its type-only imports', () => {
    assert.ok(loadedPackages('src/app.ts').includes('fastify'));
    assert.ok(loadedPackages('src/redis/open-redis.ts').includes('ioredis'), 'the dynamic import');
    assert.ok(loadedPackages('src/logger.ts').includes('pino'));
    assert.ok(loadedPackages('src/connectors/ifc/read-ifc.ts').includes('web-ifc'));
    assert.ok(loadedPackages('scripts/build.mjs').includes('esbuild'));
    assert.ok(loadedPackages('scripts/build.mjs').includes('vite'), 'the page is built at install too');
    assert.ok(loadedPackages('web/src/main.tsx').includes('react-dom'));
    assert.ok(!loadedPackages('src/start.ts').includes('ioredis'), 'import type');
  });

  // web/: the page's sources, which the build bundles at install (scripts/build.mjs runs Vite on them).
  for (const dir of ['src', 'scripts', 'web']) {
    it(`every package ${dir}/ loads is a dependency`, () => {
      const missing = filesUnder(dir).flatMap((file) =>
        loadedPackages(file)
          .filter((name) => !runtime.has(name))
          .map((name) => `${file}: ${name}`),
      );
      assert.deepEqual(missing, []);
    });
  }

  it('the scripts npm ci, npm start and npm run worker run use only node and dependencies', () => {
    for (const name of ['prepare', 'prestart', 'start', 'preworker', 'worker']) {
      const command = manifest.scripts[name];
      assert.ok(command, `script ${name}`);
      const program = command.split(' ')[0]!;
      assert.ok(program === 'node' || runtime.has(program), `${name}: ${command}`);
    }
  });

  it('the devDependency logger.ts names is loaded only when it resolves', () => {
    const logger = fs.readFileSync(path.join(ROOT, 'src/logger.ts'), 'utf8');
    for (const dev of Object.keys(manifest.devDependencies)) {
      if (!logger.includes(`'${dev}'`)) continue;
      assert.match(logger, new RegExp(`installed\\('${dev}'\\)`), `${dev} is used only after installed('${dev}')`);
    }
  });
});
