// Compiles the service to plain JavaScript in dist/, so that `npm start` and `npm run worker` run
// `node dist/main.js` without compiling TypeScript at every start (tsx alone took about 2 s).
//
//   node scripts/build.mjs           build unless dist/ is up to date with src/ (npm's prestart, preworker)
//   node scripts/build.mjs --force   build anyway (npm's prepare, run by `npm ci`)
//
// Plain JavaScript (no TypeScript) so that it runs before anything is compiled; esbuild is a runtime
// dependency, so a production install (`npm ci --omit=dev`) builds too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, 'build-stamp.json');

/**
 * Packages left to Node's own loader instead of being bundled: native code (better-sqlite3, iTwin.js),
 * packages that load files next to their own code (pino's transports run in worker threads, the
 * Scalar page reads its 3.5 MB script, web-ifc its WebAssembly), packages only some configurations
 * load, and only when they need them (ioredis for REDIS_URL, the IFC converter's web-ifc and iTwin.js),
 * and optional peers that are not installed (pg-native). Everything else is bundled: one file
 * compiles faster than the thousand small modules of kysely, typebox, fastify and ajv are found,
 * read and linked one by one.
 */
const EXTERNAL = [
  'better-sqlite3',
  'pino',
  'pino-pretty',
  'thread-stream',
  'ioredis',
  '@scalar/fastify-api-reference',
  'web-ifc',
  '@itwin/*',
  'pg-native',
  'tsx',
  'esbuild',
];

/**
 * The programs Node runs: the service (all roles), the IFC converter's one-task program (an iModel's
 * empty baseline), the warm converter the builtin connector keeps for its tasks, and the export of
 * a version's model for the model view (docs/model-view.md).
 */
const ENTRIES = {
  main: 'src/main.ts',
  'ifc-convert': 'src/connectors/ifc/convert-program.ts',
  'ifc-warm': 'src/connectors/ifc/warm-program.ts',
  'model-export': 'src/model-view/export-program.ts',
};

/** Files the programs load by path at run time, copied next to them. */
const COPIED = ['src/http/listening/socket-twin.cjs'];

/**
 * How a program is bundled: also what the IFC bench bundles its measured process with
 * (bench/ifc-bundle.ts), so that it measures the converter as production runs it.
 */
export function bundleOptions() {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __twinsyncCreateRequire } from 'node:module'; const require = __twinsyncCreateRequire(import.meta.url);" },
  };
}

/** Every input of the build, with the newest modification time: dist/ is current when both are unchanged. */
function inputs() {
  // node_modules/.package-lock.json: npm rewrites it at every install, and the bundle holds dependencies' code.
  const files = [fileURLToPath(import.meta.url), 'package.json', 'tsconfig.json', 'node_modules/.package-lock.json']
    .map((file) => path.resolve(ROOT, file))
    .filter((file) => fs.existsSync(file));
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(path.join(ROOT, 'src'));
  let newest = 0;
  for (const file of files) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  return { count: files.length, newest };
}

function upToDate(current) {
  try {
    const stamp = JSON.parse(fs.readFileSync(STAMP, 'utf8'));
    const outputs = [...Object.keys(ENTRIES).map((name) => `${name}.js`), ...COPIED.map((file) => path.basename(file))];
    return stamp.count === current.count && stamp.newest === current.newest && outputs.every((file) => fs.existsSync(path.join(DIST, file)));
  } catch {
    return false;
  }
}

/**
 * Each output is written to a temporary file and renamed into place, so that a process starting
 * meanwhile (tests build and start servers concurrently) reads either the old or the new file,
 * never half of one. The stamp records the inputs as they were *before* the build: a source edited
 * during the build makes the next check build again.
 */
export async function build({ force = false } = {}) {
  const before = inputs();
  if (!force && upToDate(before)) return false;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    ...bundleOptions(),
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
  });
  fs.mkdirSync(DIST, { recursive: true });
  const replace = (file, contents) => {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, contents);
    fs.renameSync(temporary, file);
  };
  for (const output of result.outputFiles) replace(output.path, output.contents);
  for (const file of COPIED) replace(path.join(DIST, path.basename(file)), fs.readFileSync(path.join(ROOT, file)));
  replace(STAMP, `${JSON.stringify(before)}\n`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  build({ force: process.argv.includes('--force') }).catch((error) => {
    process.stderr.write(`twinsync build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
