// Runs test files in the order given, CONCURRENCY at a time, each in its own process, as
// `node --test` does, with its reporter (TAP, or spec on a terminal). Run through tsx
// (scripts/test.mjs does), so that the files' processes load TypeScript as `tsx --test` does.
//
//   tsx scripts/run-test-files.mjs CONCURRENCY TIMES_OUT FILE…
//
// Not `tsx --test FILE…`: Node 20's runner sorts the files it is given by name, and scripts/test.mjs
// starts the longest first. A file's output is written when it ends, whole (not interleaved with
// the others'), and the counts of all of them at the very end. TIMES_OUT ('-' for none): each
// file's time in seconds, from its process's start to its end, as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';

const [concurrency, timesOut, ...files] = process.argv.slice(2);
const root = process.cwd();
const times = {};
const counts = {};
let failed = false;

async function runFile(file) {
  const started = performance.now();
  const stream = run({ files: [path.resolve(root, file)] });
  // A top-level test or suite fails when anything in it failed; the file's process ending badly is one too.
  stream.on('test:fail', (event) => {
    if (event.nesting === 0) failed = true;
  });
  // The run's own summary (tests, pass, fail…), added up over the files.
  stream.on('test:diagnostic', (event) => {
    const count = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(event.message);
    if (count && event.nesting === 0) counts[count[1]] = (counts[count[1]] ?? 0) + Number(count[2]);
  });
  const chunks = [];
  for await (const chunk of process.stdout.isTTY ? stream.compose(new spec()) : stream.compose(tap)) chunks.push(chunk);
  process.stdout.write(chunks.join(''));
  times[path.relative(root, file)] = Math.round((performance.now() - started) / 100) / 10;
}

const queue = [...files];
const started = performance.now();
await Promise.all(
  Array.from({ length: Math.min(Number(concurrency), files.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
  }),
);
const summary = Object.entries(counts).map(([name, n]) => `# ${name} ${n}`);
process.stdout.write(`# all ${files.length} test process(es)\n${summary.join('\n')}\n# duration_ms ${(performance.now() - started).toFixed(0)}\n`);
if (timesOut !== '-') fs.writeFileSync(timesOut, `${JSON.stringify(times, null, 2)}\n`);
process.exitCode = failed ? 1 : 0;
