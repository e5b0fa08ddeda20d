#!/usr/bin/env node
// `npm test`: every test file, in two phases.
//
// 1. All files but the ones that must run alone, TEST_CONCURRENCY (3) files at a time. Most test
//    files wait on processes, sockets and databases more than they compute, so three at a time on
//    two cores takes about 60% of the time of one at a time.
// 2. The files whose first 20 lines hold the marker `test:alone`, one at a time with nothing else
//    running: they assert timings (a start-up error within 2 s) or memory held (a 200 MB upload with
//    flat memory), which other files running beside them would make fail for reasons of their own.
//
// Both phases always run; the exit code is non-zero when either failed. Files given as arguments
// replace the full list (their markers still decide their phase).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// test/browser: the web application in Chromium (docs/web-app.md); they skip, saying why, where it is missing.
const FOLDERS = ['test/unit', 'test/integration', 'test/acceptance', 'test/browser'];
const MARKER = 'test:alone';
const concurrency = Number(process.env.TEST_CONCURRENCY ?? 3);

const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : FOLDERS.flatMap((folder) =>
        fs
          .readdirSync(path.join(root, folder))
          .filter((name) => name.endsWith('.test.ts'))
          .sort()
          .map((name) => `${folder}/${name}`),
      );

const alone = (file) =>
  fs
    .readFileSync(path.resolve(root, file), 'utf8')
    .split('\n', 20)
    .some((line) => line.includes(MARKER));
const together = files.filter((file) => !alone(file));
const separate = files.filter(alone);

function run(list, args) {
  if (list.length === 0) return 0;
  const started = Date.now();
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['--test', ...args, ...list], { cwd: root, stdio: 'inherit' });
  process.stderr.write(`# ${list.length} file(s) ${args.join(' ') || 'one at a time'}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  return result.status ?? 1;
}

const first = run(together, [`--test-concurrency=${concurrency}`]);
const second = run(separate, ['--test-concurrency=1']);
process.exit(first !== 0 || second !== 0 ? 1 : 0);
