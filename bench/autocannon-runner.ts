import fs from 'node:fs';
import autocannon from 'autocannon';
import { body, countStatuses, type LoadResult, type Workload } from './load.js';
import { round } from './processes.js';

/**
 * Child process of bench/autocannon.ts: runs autocannon against the workload in BENCH_WORKLOAD and
 * prints its LoadResult as the last line of stdout. One process, one counter: no id is sent twice.
 * autocannon's worker threads are not used (they need request hooks as files), so `threads` is ignored.
 */
const w = JSON.parse(process.env.BENCH_WORKLOAD!) as Workload;
const ids = fs.readFileSync(w.idsFile, 'utf8').split('\n').filter(Boolean);
let next = 0;
let idsWrapped = 0;
const samples: string[] = [];

const result = await autocannon({
  url: w.url,
  connections: w.connections,
  duration: w.durationSeconds,
  timeout: 10,
  method: 'POST',
  headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' },
  requests: [
    {
      setupRequest: (request) => {
        // Running out reuses ids: the 409s this causes make the run invalid rather than silently fast.
        if (next >= ids.length) {
          next = 0;
          idsWrapped++;
        }
        return { ...request, body: body(w.iModelId, ids[next++]!) };
      },
      onResponse: (status, responseBody) => {
        if (status !== w.expectedStatus && samples.length < 3) samples.push(`${status} ${responseBody}`);
      },
    },
  ],
});

const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]));
const out: LoadResult = {
  generator: 'autocannon',
  requests: result.requests.total,
  durationSeconds: result.duration,
  requestsPerSecond: round(result.requests.total / result.duration, 2),
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  statuses,
  ...countStatuses(statuses, w.expectedStatus),
  socketErrors: result.errors,
  idsWrapped,
  samples,
  report: autocannon.printResult(result),
};
process.stdout.write(`${JSON.stringify(out)}\n`);
