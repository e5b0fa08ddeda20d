#!/usr/bin/env node
// `npm test`: every test file, in two phases.
//
// 1. All files but the ones that must run alone, TEST_CONCURRENCY (3) processes at a time. Most test
//    files wait on processes, sockets and databases more than they compute, so three at a time on
//    two cores takes about 60% of the time of one at a time.
//    - Files of test/integration share processes, a few files to a process (a batch, about
//      BATCH_SECONDS of them by the recorded times, the files one after the other as if each ran
//      alone): starting a process and loading the app through tsx costs about 3.5 s of CPU per
//      file, as much as the tests of most of those files. A file whose first 20 lines say
//      `test:own-process` keeps a process of its own.
//    - The longest start first (by the times recorded in scripts/test-times.json; a file not
//      recorded counts as longest): started in name order, the IFC unit files, among the longest,
//      came last and ran beside nothing for minutes.
// 2. The files whose first 20 lines hold the marker `test:alone`, one at a time with nothing else
//    running: they assert timings (a start-up error within 2 s) or memory held (a 200 MB upload with
//    flat memory), which other files running beside them would make fail for reasons of their own.
//
// Both phases always run; the exit code is non-zero when either failed. Files given as arguments
// replace the full list (their markers still decide their phase and process). `--record` (before any
// file) runs every file in a process of its own and writes their times into scripts/test-times.json,
// keeping those of files that did not run. TEST_BATCH_SECONDS=0 gives every file its own process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// test/browser: the web application in Chromium (docs/web-app.md); they skip, saying why, where it is missing.
const FOLDERS = ['test/unit', 'test/integration', 'test/acceptance', 'test/browser'];
const MARKER = 'test:alone';
const OWN_PROCESS = 'test:own-process';
// What a file's tests load and start (the app, on each store) ends with them: files here can share a process.
const BATCHED = ['test/integration'];
const TIMES = path.join(root, 'scripts/test-times.json');
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 3);
const batchSeconds = Number(process.env.TEST_BATCH_SECONDS ?? 60);
const BATCH_FILES = 8;
const args = process.argv.slice(2);
const record = args[0] === '--record';
if (record) args.shift();

const files =
  args.length > 0
    ? args
    : FOLDERS.flatMap((folder) =>
        fs
          .readdirSync(path.join(root, folder))
          .filter((name) => name.endsWith('.test.ts'))
          .sort()
          .map((name) => `${folder}/${name}`),
      );

const marked = (marker) => (file) =>
  fs
    .readFileSync(path.resolve(root, file), 'utf8')
    .split('\n', 20)
    .some((line) => line.includes(marker));
const alone = marked(MARKER);
const ownProcess = marked(OWN_PROCESS);
const recorded = fs.existsSync(TIMES) ? JSON.parse(fs.readFileSync(TIMES, 'utf8')) : {};
const timeOf = (file) => recorded[file] ?? Infinity;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-test-'));

/**
 * The processes of phase 1, longest first: each file of a batched folder goes into the first batch
 * of its folder it fits in (files longest first, a batch at most batchSeconds and BATCH_FILES
 * files); the others, and files not recorded, get a process of their own.
 */
function processes(list) {
  const batches = [];
  for (const file of [...list].sort((a, b) => timeOf(b) - timeOf(a) || (a < b ? -1 : 1))) {
    const folder = path.dirname(file);
    const batchable = !record && BATCHED.includes(folder) && timeOf(file) < batchSeconds && !ownProcess(file);
    const batch = batchable && batches.find((b) => b.folder === folder && b.files.length < BATCH_FILES && b.seconds + timeOf(file) <= batchSeconds);
    if (batch) {
      batch.files.push(file);
      batch.seconds += timeOf(file);
    } else batches.push({ folder: batchable ? folder : undefined, files: [file], seconds: timeOf(file) });
  }
  batches.sort((a, b) => b.seconds - a.seconds);
  return batches.map((batch, n) => (batch.files.length === 1 ? batch.files[0] : entry(batch.files, n)));
}

/** A test file that loads `files`, one after the other (static imports: every file is loaded before any test runs). */
function entry(files, n) {
  const file = path.join(work, `batch-${String(n + 1).padStart(2, '0')}.test.mjs`);
  const imports = files.map((f) => `import ${JSON.stringify(pathToFileURL(path.resolve(root, f)).href)};`);
  fs.writeFileSync(file, `// ${files.join(', ')}\n${imports.join('\n')}\n`);
  process.stderr.write(`# ${path.basename(file)}: ${files.join(' ')}\n`);
  return file;
}

const together = processes(files.filter((file) => !alone(file)));
const separate = files.filter(alone);

const times = {};
function run(list, n) {
  if (list.length === 0) return 0;
  const started = Date.now();
  const out = path.join(work, `times-${n}.json`);
  const runner = path.join(root, 'scripts/run-test-files.mjs');
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [runner, String(n), out, ...list], { cwd: root, stdio: 'inherit' });
  if (fs.existsSync(out)) Object.assign(times, JSON.parse(fs.readFileSync(out, 'utf8')));
  process.stderr.write(`# ${list.length} process(es), ${n === 1 ? 'one at a time' : `${n} at a time`}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return result.status ?? 1;
}

const first = run(together, concurrency);
const second = run(separate, 1);
fs.rmSync(work, { recursive: true, force: true });
if (record) {
  const sorted = Object.entries({ ...recorded, ...times }).sort(([a], [b]) => (a < b ? -1 : 1));
  fs.writeFileSync(TIMES, `${JSON.stringify(Object.fromEntries(sorted), null, 2)}\n`);
}
process.exit(first !== 0 || second !== 0 ? 1 : 0);
