import fs from 'node:fs';
import readline from 'node:readline';
import type { LoadResult } from './load.js';
import type { CpuUsage } from './processes.js';

export interface TargetResult {
  target: string;
  generator: string;
  load: LoadResult;
  /** The server process and the whole machine while the load ran. */
  cpu: CpuUsage;
}

export interface ServerLog {
  /** "request completed" lines: request logging was on for every request. */
  requestLines: number;
  /**
   * The server's own view of request duration (the `ms` of those lines: from Fastify's request
   * event to the response handed to the kernel). Where the client's p99 is far above this, the time
   * went outside that span: before the request was read, or waiting for a core.
   */
  serverP50Ms?: number;
  serverP99Ms?: number;
  /** Lines at warn level or above, and anything on stderr. */
  problemCount: number;
  problems: string[];
}

/** The thresholds twinsync is held to, relative to the baseline measured in the same run. */
export const TARGETS = { minRatio: 0.15, maxP99Ms: 25 };

function table(results: TargetResult[]): string {
  const rows = [
    ['target', 'generator', 'requests/s', 'p50 ms', 'p99 ms', 'non-2xx', 'socket errors'],
    ...results.map((r) => [
      r.target,
      r.generator,
      r.load.requestsPerSecond.toFixed(2),
      r.load.p50Ms.toFixed(2),
      r.load.p99Ms.toFixed(2),
      String(r.load.non2xx),
      String(r.load.socketErrors),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  // Text columns left-aligned, figures right-aligned.
  return rows.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

export type Verdict = ReturnType<typeof verdict>;

export function verdict(baseline: LoadResult, twinsync: LoadResult) {
  const ratio = twinsync.requestsPerSecond / baseline.requestsPerSecond;
  const ratioMet = ratio >= TARGETS.minRatio;
  const p99Met = twinsync.p99Ms < TARGETS.maxP99Ms;
  return { ratio: Math.round(ratio * 1000) / 1000, ratioMet, p99Met, met: ratioMet && p99Met };
}

export function printReport(results: TargetResult[], log: ServerLog, storedConnections: number, v: Verdict, invalid: string[]): void {
  const out = process.stdout;
  for (const r of results) out.write(`\n--- ${r.target}: ${r.generator} report ---\n${r.load.report}\n`);
  out.write(`\n${table(results)}\n\n`);
  for (const r of results) {
    const cpu = r.cpu.processCores === undefined ? 'not measured' : `${r.cpu.processCores.toFixed(2)} cores`;
    const others = [
      r.cpu.generatorCores === undefined ? '' : `, load generator ${r.cpu.generatorCores.toFixed(2)} cores`,
      r.cpu.databaseCores === undefined ? '' : `, PostgreSQL ${r.cpu.databaseCores.toFixed(2)} cores`,
    ].join('');
    out.write(
      `${r.target}: server process CPU ${cpu}${others}, machine ${r.cpu.machineBusyPercent ?? '?'}% busy; statuses ${JSON.stringify(r.load.statuses)}\n`,
    );
    for (const sample of new Set(r.load.samples)) out.write(`  unexpected response: ${sample}\n`);
  }
  out.write(`twinsync log: ${log.requestLines} request lines, ${log.problemCount} warn/error/stderr lines; store holds ${storedConnections} connections\n`);
  out.write(`twinsync log durations (server side): p50 ${log.serverP50Ms ?? '?'} ms, p99 ${log.serverP99Ms ?? '?'} ms\n`);
  for (const line of log.problems) out.write(`  ${line}\n`);
  const twin = results[results.length - 1]!.load;
  out.write(`\ntwinsync/baseline requests/s: ${v.ratio.toFixed(3)} (target >= ${TARGETS.minRatio}: ${v.ratioMet ? 'met' : 'NOT MET'})\n`);
  out.write(`twinsync p99: ${twin.p99Ms.toFixed(2)} ms (target < ${TARGETS.maxP99Ms} ms: ${v.p99Met ? 'met' : 'NOT MET'})\n`);
  out.write(invalid.length ? `RUN INVALID:\n  ${invalid.join('\n  ')}\n` : `targets ${v.met ? 'hold' : 'do NOT hold'}\n`);
}

/** `since` (epoch ms): durations only of requests completed from then on (after a warm-up). */
export async function readServerLog(stdoutFile: string, stderrFile: string, since = 0): Promise<ServerLog> {
  const log: ServerLog = { requestLines: 0, problemCount: 0, problems: [] };
  const problem = (line: string) => {
    log.problemCount++;
    if (log.problems.length < 5) log.problems.push(line.slice(0, 1000));
  };
  const durations: number[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(stdoutFile), crlfDelay: Infinity });
  for await (const line of lines) {
    let entry: { level?: number; msg?: string; ms?: number; time?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue; // the start-up banner is plain text
    }
    if (entry.msg === 'request completed') {
      log.requestLines++;
      if (typeof entry.ms === 'number' && (entry.time ?? Infinity) >= since) durations.push(entry.ms);
    }
    if ((entry.level ?? 0) >= 40) problem(line);
  }
  durations.sort((a, b) => a - b);
  if (durations.length > 0) {
    log.serverP50Ms = durations[Math.floor(durations.length * 0.5)];
    log.serverP99Ms = durations[Math.floor(durations.length * 0.99)];
  }
  for (const line of fs.readFileSync(stderrFile, 'utf8').split('\n')) if (line.trim()) problem(line);
  return log;
}
