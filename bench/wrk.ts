import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { countStatuses, type LoadResult, type Workload } from './load.js';
import { capture } from './processes.js';

const SCRIPT = fileURLToPath(new URL('./create.lua', import.meta.url));

/** wrk's version, or undefined when it is not installed. */
export function wrkVersion(): string | undefined {
  const result = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (result.error) return undefined;
  return /^wrk (\S+)/m.exec(`${result.stdout}${result.stderr}`)?.[1] ?? 'unknown version';
}

export async function runWrk(w: Workload): Promise<LoadResult> {
  const args = ['-t', String(w.threads), '-c', String(w.connections), '-d', `${w.durationSeconds}s`];
  args.push('--latency', '--timeout', '10s', '-s', SCRIPT, w.url);
  const env = {
    ...process.env,
    BENCH_IDS: w.idsFile,
    BENCH_THREADS: String(w.threads),
    BENCH_IMODEL_ID: w.iModelId,
    BENCH_TOKEN: w.token,
    BENCH_EXPECT: String(w.expectedStatus),
  };
  const { code, stdout, stderr } = await capture('wrk', args, env);
  if (code !== 0) throw new Error(`wrk exited with ${code}: ${stderr}${stdout}`);
  return parseWrk(stdout, w.expectedStatus);
}

/** Reads wrk's --latency report and the "bench-…" lines printed by create.lua's done(). */
export function parseWrk(output: string, expectedStatus: number): LoadResult {
  const match = (re: RegExp, what: string) => {
    const m = re.exec(output);
    if (!m) throw new Error(`no ${what} in wrk output:\n${output}`);
    return m;
  };
  const done = match(/(\d+) requests in ([\d.]+)(us|ms|s|m),/, 'request count');
  const statuses: Record<string, number> = {};
  for (const m of output.matchAll(/^bench-status (\d+) (\d+)$/gm)) statuses[m[1]!] = (statuses[m[1]!] ?? 0) + Number(m[2]);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    generator: 'wrk',
    requests: Number(done[1]),
    durationSeconds: toMs(done[2]!, done[3]!) / 1000,
    requestsPerSecond: Number(match(/^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec')[1]),
    p50Ms: latency(match(/^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m, 'p50')),
    p99Ms: latency(match(/^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m, 'p99')),
    statuses,
    ...countStatuses(statuses, expectedStatus),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    idsWrapped: [...output.matchAll(/^bench-wrapped (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0),
    samples: [...output.matchAll(/^bench-sample (.*)$/gm)].map((m) => m[1]!),
    report: output.replace(/^bench-.*\n?/gm, '').trimEnd(),
  };
}

function latency(m: RegExpExecArray): number {
  return toMs(m[1]!, m[2]!);
}

function toMs(value: string, unit: string): number {
  const factor = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit];
  if (factor === undefined) throw new Error(`unknown wrk time unit ${unit}`);
  return Number(value) * factor;
}
