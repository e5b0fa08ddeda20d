// Compiles the service to plain JavaScript in dist/, so that `npm start` and `npm run worker` run
// `node dist/main.js` without compiling TypeScript at every start (tsx alone took about 2 s), and
// builds the web application (web/, with Vite) into dist/web/, which the service serves at /app/.
//
//   node scripts/build.mjs           build what is not up to date with its sources (npm's prestart, preworker)
//   node scripts/build.mjs --force   build anyway (npm's prepare, run by `npm ci`)
//
// WEB_APP=off in the environment leaves the page out (the service then does not serve it either).
// Plain JavaScript (no TypeScript) so that it runs before anything is compiled; esbuild, Vite and
// the page's packages are runtime dependencies, so a production install (`npm ci --omit=dev`) builds too.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

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

/**
 * Every input of a build, with the newest modification time: its output is current when both are
 * unchanged. `folder` is the build's own sources (src/ or web/).
 */
function inputs(folder, configFiles) {
  // node_modules/.package-lock.json: npm rewrites it at every install, and the bundle holds dependencies' code.
  const files = [fileURLToPath(import.meta.url), 'package.json', 'node_modules/.package-lock.json', ...configFiles]
    .map((file) => path.resolve(ROOT, file))
    .filter((file) => fs.existsSync(file));
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(path.join(ROOT, folder));
  let newest = 0;
  for (const file of files) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  return { count: files.length, newest };
}

function upToDate(stampFile, current, outputs) {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
    return stamp.count === current.count && stamp.newest === current.newest && outputs.every((file) => fs.existsSync(file));
  } catch {
    return false;
  }
}

/** Writes `contents` to a temporary file renamed into place: a reader sees the old file or the new one, never half. */
function replace(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

/**
 * Each output is written to a temporary file and renamed into place, so that a process starting
 * meanwhile (tests build and start servers concurrently) reads either the old or the new file,
 * never half of one. The stamp records the inputs as they were *before* the build: a source edited
 * during the build makes the next check build again.
 */
export async function build({ force = false, web = true } = {}) {
  const service = await buildService(force);
  const page = web ? await buildWebApp(force) : false;
  return service || page;
}

async function buildService(force) {
  const before = inputs('src', ['tsconfig.json']);
  const outputs = [...Object.keys(ENTRIES).map((name) => `${name}.js`), ...COPIED.map((file) => path.basename(file))];
  if (
    !force &&
    upToDate(
      STAMP,
      before,
      outputs.map((file) => path.join(DIST, file)),
    )
  )
    return false;
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
  for (const output of result.outputFiles) replace(output.path, output.contents);
  for (const file of COPIED) replace(path.join(DIST, path.basename(file)), fs.readFileSync(path.join(ROOT, file)));
  replace(STAMP, `${JSON.stringify(before)}\n`);
  return true;
}

const WEB = path.join(ROOT, 'web');
const WEB_OUT = path.join(DIST, 'web');
const WEB_STAMP = path.join(DIST, 'web-stamp.json');
/** Text the page is made of, stored gzipped beside itself as well (`.gz`), which the service sends to browsers that take gzip. */
const COMPRESSED = /\.(js|css|html|svg|json)$/;

/**
 * The web application: Vite builds web/ (web/vite.config.mjs) into a folder of its own, the text
 * files get a gzip copy, and the folder replaces dist/web in one rename, so that a server reading
 * dist/web meanwhile serves the old page or the new one. Two builds at once (tests start servers
 * concurrently) both succeed: the second to finish finds a page in place, made from the same
 * sources, and discards its own.
 */
async function buildWebApp(force) {
  if (!fs.existsSync(path.join(WEB, 'index.html'))) return false;
  const before = inputs('web', []);
  if (!force && upToDate(WEB_STAMP, before, [path.join(WEB_OUT, 'index.html')])) return false;
  const { build: vite } = await import('vite');
  fs.mkdirSync(DIST, { recursive: true });
  const temporary = path.join(DIST, `.web-${process.pid}-${Date.now()}`);
  try {
    await vite({
      configFile: path.join(WEB, 'vite.config.mjs'),
      logLevel: 'warn',
      build: { outDir: temporary, emptyOutDir: true },
    });
    for (const file of fs.readdirSync(temporary, { recursive: true })) {
      const full = path.join(temporary, file);
      if (!COMPRESSED.test(file) || !fs.statSync(full).isFile()) continue;
      const content = fs.readFileSync(full);
      if (content.length >= 1024) fs.writeFileSync(`${full}.gz`, zlib.gzipSync(content, { level: 9 }));
    }
    const old = path.join(DIST, `.web-old-${process.pid}-${Date.now()}`);
    try {
      fs.renameSync(WEB_OUT, old);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    try {
      fs.renameSync(temporary, WEB_OUT);
    } catch (error) {
      // Another build put its page in place between our two renames.
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    }
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(temporary, { recursive: true, force: true });
  }
  replace(WEB_STAMP, `${JSON.stringify(before)}\n`);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  build({ force: process.argv.includes('--force'), web: process.env.WEB_APP?.trim().toLowerCase() !== 'off' }).catch((error) => {
    process.stderr.write(`twinsync build: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
