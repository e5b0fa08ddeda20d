// Runs test files in the order given, CONCURRENCY at a time, each in its own process, as
// `node --test` does, with its reporter (TAP, or spec on a terminal). Run through tsx
// (scripts/test.mjs does), so that the files' processes load TypeScript as `tsx --test` does.
//
//   tsx scripts/run-test-files.mjs CONCURRENCY TIMES_OUT FILE…
//
// Not `tsx --test FILE…`: Node 20's runner sorts the files it is given by name, and scripts/test.mjs
// starts the longest first. TIMES_OUT ('-' for none): each file's time in seconds, as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { run } from 'node:test';
import { spec, tap } from 'node:test/reporters';

const [concurrency, timesOut, ...files] = process.argv.slice(2);
const root = process.cwd();
const times = {};
const stream = run({ files: files.map((file) => path.resolve(root, file)), concurrency: Number(concurrency) });
// A file's own test (nesting 0) fails when anything in it failed or its process did not end well.
stream.on('test:fail', (event) => {
  if (event.nesting === 0) process.exitCode = 1;
});
// A file's time: its top-level tests and suites, which run one after the other (its process's start left out).
for (const type of ['test:pass', 'test:fail']) {
  stream.on(type, (event) => {
    if (event.nesting !== 0 || !event.file) return;
    const file = path.relative(root, event.file);
    times[file] = (times[file] ?? 0) + event.details.duration_ms / 1000;
  });
}
stream.on('end', () => {
  const rounded = Object.fromEntries(Object.entries(times).map(([file, s]) => [file, Math.round(s * 10) / 10]));
  if (timesOut !== '-') fs.writeFileSync(timesOut, `${JSON.stringify(rounded, null, 2)}\n`);
});
(process.stdout.isTTY ? stream.compose(new spec()) : stream.compose(tap)).pipe(process.stdout);
