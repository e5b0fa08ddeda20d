import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchRuns } from './runs.js';

/** `npx tsx bench/runs-only.ts [--runs 1000] [--concurrency N] [--database postgres://…]`: the runs figure alone. */
const { values } = parseArgs({ options: { runs: { type: 'string' }, database: { type: 'string' }, concurrency: { type: 'string' } } });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-bench-runs-'));
try {
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  const result = await benchRuns({ dataDir, database: values.database, count: Number(values.runs ?? 1000), concurrency });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
