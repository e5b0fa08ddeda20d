import { parseArgs } from 'node:util';
import { storeTargets } from '../helpers/stores.js';
import { runFuzz } from './fuzz.js';

/**
 * `npm run fuzz -- --requests N [--seed S] [--store sqlite|postgres]`: the fuzz test of
 * test/integration/fuzz.test.ts for as long as wanted. N requests per store; PostgreSQL runs when
 * TWINSYNC_TEST_DATABASE_URL is set. Exits 1 on any 5xx, answer out of shape, dead server or
 * unbounded heap, listing them.
 */
const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    seed: { type: 'string' },
    store: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    verbose: { type: 'boolean', default: false },
  },
});
const requests = Number(values.requests);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isInteger(requests) || requests < 1) throw new Error('--requests must be a positive whole number');

let failed = false;
for (const target of storeTargets) {
  if (values.store && values.store !== target.name) continue;
  if (target.skip) {
    console.log(`[${target.name}] skipped: ${target.skip}`);
    continue;
  }
  const started = Date.now();
  const report = await runFuzz({ target, requests, seed, concurrency: Number(values.concurrency), log: (line) => console.log(line) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `[${target.name}] ${report.sent} requests in ${seconds} s (seed ${seed}): ${report.serverErrors.length} 5xx, ${report.outOfShape.length} out of shape, ` +
      `alive ${report.alive}, heap ${report.heapGrowth >= 0 ? '+' : ''}${(report.heapGrowth / 2 ** 10).toFixed(0)} KiB over ${report.heapRequests} requests after warm-up (bound ${(report.heapBound / 2 ** 20).toFixed(0)} MiB); ${JSON.stringify(report.statuses)}`,
  );
  if (values.verbose) {
    console.log(
      Object.entries(report.answers)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k}: ${n}`)
        .join('\n'),
    );
    for (const [key, list] of Object.entries(report.samples)) console.log(`${key}:\n    ${list.join('\n    ')}`);
    console.log(
      Object.entries(report.perOperation)
        .map(([k, n]) => `${k}: ${n}`)
        .join('\n'),
    );
  }
  for (const line of [...report.serverErrors, ...report.outOfShape].slice(0, 40)) console.log(`  ${line}`);
  if (report.serverErrors.length > 0 || report.outOfShape.length > 0 || !report.alive || report.heapGrowth > report.heapBound) failed = true;
}
process.exit(failed ? 1 : 0);
