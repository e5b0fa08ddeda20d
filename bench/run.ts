import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runAutocannon } from './autocannon.js';
import type { GeneratorName, LoadResult, Workload } from './load.js';
import { countConnections, dropSchema, prepare } from './prepare.js';
import { cleanUp, commandCpuWindow, cpuWindow, freePort, onCleanup, startLogged, stop, waitForPort } from './processes.js';
import { printReport, readServerLog, TARGETS, verdict, type TargetResult } from './report.js';
import { benchIfc, describeIfc } from './ifc.js';
import { benchStartup, describeStartup } from './startup.js';
import { build } from '../scripts/build.mjs';
import { benchRuns } from './runs.js';
import { runWrk, wrkVersion } from './wrk.js';
import { benchScale } from './scale.js';

/**
 * `npm run bench [-- --duration 10 --warmup 0 --connections 50 --threads 2 --files N --generator wrk|autocannon --redis redis://…
 * --database postgres://… --runs 1000 --ifc-rounds 3 --no-ifc-memory --accept-handles N --cpu-prof --keep --help]`: measures a raw node:http baseline, then twinsync's
 * create-storage-connection path, in one run on one machine, and compares them; then drains
 * `--runs` queued runs with one worker (bench/runs.ts). Exit code 1 means the run is
 * invalid (unexpected statuses, reused ids), not that twinsync missed its targets.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What `npm start` runs: dist/main.js, compiled from src/ first (scripts/build.mjs). */
async function builtService(): Promise<string> {
  await build();
  return path.join(ROOT, 'dist/main.js');
}

const PATH = '/synchronization/imodels/storageconnections';
/**
 * Storage files prepared per second of load, enough for ~20,000 creates/s: one process committed
 * 13,000/s on a 2-core Zen 5 machine (2026-11-29), 3,000/s on an older one. A shortfall shows as
 * 409s and makes the run invalid.
 */
const FILES_PER_SECOND = 20_000;

const USAGE = `npm run bench -- [options]
  --duration S         seconds of measured load per target (10; BENCH_DURATION)
  --warmup S           seconds of unmeasured load first (0; BENCH_WARMUP)
  --connections N      connections of the load generator (50; BENCH_CONNECTIONS)
  --threads N          wrk threads (2)
  --files N            storage files prepared (enough for the duration; BENCH_FILES)
  --generator G        wrk or autocannon (wrk when installed; BENCH_GENERATOR)
  --database URL       PostgreSQL instead of SQLite (BENCH_DATABASE)
  --redis URL          rate-limit counters in Redis (BENCH_REDIS)
  --runs N             queued runs drained by one worker afterwards (1000; BENCH_RUNS)
  --ifc-rounds N       rounds of the IFC figures (3)
  --no-ifc-memory      leave out the IFC peak-memory figures (a 50 MB file, many triangles)
  --accept-handles N   twinsync's ACCEPT_HANDLES (its default when not given)
  --cpu-prof           V8 profile of the twinsync server and of two IFC conversions, in .bench/profiles
  --keep               keep the data directory afterwards
  --scale              only the 1,000,000-connection figures (bench/scale.ts): SQLite, and PostgreSQL with --database; --duration S of creates (5)
  --help               this text`;

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      threads: { type: 'string' },
      files: { type: 'string' },
      generator: { type: 'string' },
      database: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      keep: { type: 'boolean' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      redis: { type: 'string' },
      'accept-handles': { type: 'string' },
      'ifc-rounds': { type: 'string' },
      'no-ifc-memory': { type: 'boolean' },
      scale: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const env = process.env;
  const durationSeconds = Number(values.duration ?? env.BENCH_DURATION ?? 10);
  const connections = Number(values.connections ?? env.BENCH_CONNECTIONS ?? 50);
  const threads = Number(values.threads ?? 2);
  const files = Number(values.files ?? env.BENCH_FILES ?? Math.max(200_000, durationSeconds * FILES_PER_SECOND));
  const database = values.database ?? env.BENCH_DATABASE;
  // Rate-limit counters in this Redis (REDIS_URL), under a fresh key prefix; in memory when unset.
  const redis = values.redis ?? env.BENCH_REDIS;
  if (redis !== undefined && !/^rediss?:\/\//.test(redis)) throw new Error('--redis takes a redis:// URL');
  const generator = values.generator ?? env.BENCH_GENERATOR;
  for (const [name, n] of Object.entries({ durationSeconds, connections, threads, files })) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number`);
  }
  if (threads > connections) throw new Error('threads must not exceed connections');
  if (generator !== undefined && generator !== 'wrk' && generator !== 'autocannon') throw new Error('generator must be wrk or autocannon');
  if (database !== undefined && !/^postgres(ql)?:\/\//.test(database)) throw new Error('--database takes a postgres:// URL (SQLite is the default)');
  // Seconds of the same load on each server before it is measured; 0 (the default) measures from its
  // first request, JIT warm-up included.
  const warmupSeconds = Number(values.warmup ?? env.BENCH_WARMUP ?? 0);
  if (!Number.isInteger(warmupSeconds) || warmupSeconds < 0) throw new Error('warmup must be a whole number of seconds');
  const runs = Number(values.runs ?? env.BENCH_RUNS ?? 1000);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('runs must be a positive whole number');
  const ifcRounds = Number(values['ifc-rounds'] ?? 3);
  if (!Number.isInteger(ifcRounds) || ifcRounds < 1) throw new Error('ifc-rounds must be a positive whole number');
  const noIfcMemory = values['no-ifc-memory'] ?? false;
  const cpuProf = values['cpu-prof'] ?? false;
  const keep = values.keep ?? false;
  const scale = values.scale ?? false;
  // --scale measures creates for 5 s unless told.
  const scaleSeconds = Number(values.duration ?? 5);
  // twinsync's ACCEPT_HANDLES (its default when not given), for A/B runs of the extra listeners.
  const acceptHandles = values['accept-handles'];
  if (acceptHandles !== undefined && !/^[1-9]\d*$/.test(acceptHandles)) throw new Error('accept-handles must be a positive whole number');
  return {
    scale,
    scaleSeconds,
    acceptHandles,
    durationSeconds,
    warmupSeconds,
    connections,
    threads,
    files,
    database,
    redis,
    cpuProf,
    keep,
    runs,
    ifcRounds,
    noIfcMemory,
    generator: generator as GeneratorName | undefined,
  };
}

interface Generator {
  name: GeneratorName;
  label: string;
  run(w: Workload): Promise<LoadResult>;
}

function pickGenerator(wanted: GeneratorName | undefined): Generator {
  const version = wanted === 'autocannon' ? undefined : wrkVersion();
  if (version) return { name: 'wrk', label: `wrk ${version}`, run: runWrk };
  if (wanted === 'wrk') throw new Error('wrk is not installed (apt-get install wrk), or leave out --generator');
  const autocannon = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')) as { version: string };
  return { name: 'autocannon', label: `autocannon ${autocannon.version}`, run: runAutocannon };
}

interface Server {
  /** Also names its log files in the data directory. */
  target: string;
  /** node arguments: the server runs as `node <args>`. */
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  /** It runs on the local PostgreSQL, whose CPU is then reported too. */
  database?: boolean;
}

/**
 * Starts a server, waits until it listens, puts the load on it, stops it. With `warmup`, that load
 * runs first, unmeasured; the measured load starts once it is over (`measuredFrom`, epoch ms).
 */
async function measure(server: Server, dir: string, generator: Generator, workload: Workload, warmup?: Workload) {
  const name = server.target.split(' ')[0]!;
  const stdoutFile = path.join(dir, `${name}.out.log`);
  const stderrFile = path.join(dir, `${name}.err.log`);
  process.stdout.write(`measuring ${server.target}…\n`);
  const child = startLogged(process.execPath, server.args, server.env, stdoutFile, stderrFile);
  try {
    await waitForPort(server.port, child, stderrFile);
    if (warmup) {
      const warm = await generator.run(warmup);
      if (warm.unexpected > 0) throw new Error(`${server.target}: unexpected responses during warm-up: ${JSON.stringify(warm.statuses)}`);
    }
    const measuredFrom = Date.now();
    const cpu = cpuWindow(child.pid);
    // Who else used the two cores: the generator (wrk only; autocannon is a node process like the
    // servers) and, for twinsync on a local PostgreSQL, the database.
    const generatorCpu = generator.name === 'wrk' ? commandCpuWindow(['wrk']) : undefined;
    const databaseCpu = server.database ? commandCpuWindow(['postgres']) : undefined;
    const load = await generator.run(workload);
    const usage = { ...cpu.end(), generatorCores: generatorCpu?.end(), databaseCores: databaseCpu?.end() };
    const result: TargetResult = { target: server.target, generator: generator.label, load, cpu: usage };
    return { result, stdoutFile, stderrFile, measuredFrom };
  } finally {
    await stop(child);
  }
}

/** --cpu-prof: V8 profile of the twinsync server (start-up included), for finding where its time goes. */
function twinsyncProfile(on: boolean): string[] {
  return on ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, '.bench/profiles')}`] : [];
}

async function main(): Promise<number> {
  const opts = options();
  if (opts.scale) return benchScale({ database: opts.database, seconds: opts.scaleSeconds, keep: opts.keep });
  const generator = pickGenerator(opts.generator);
  const machine = `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  process.stdout.write(`load generator: ${generator.label}${generator.name === 'autocannon' ? ' (wrk not found or not wanted)' : ''}\n`);
  process.stdout.write(`machine: ${machine}; node ${process.version}\n`);
  process.stdout.write(
    `${opts.durationSeconds} s per target${opts.warmupSeconds > 0 ? ` after ${opts.warmupSeconds} s of warm-up` : ', no warm-up'}, ` +
      `${opts.connections} connections${generator.name === 'wrk' ? `, ${opts.threads} threads` : ''}\n`,
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-bench-'));
  // --keep leaves the data directory (database, server logs) for a look afterwards.
  onCleanup(() => {
    if (opts.keep) process.stdout.write(`kept ${dataDir}\n`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const [basePort, twinPort] = [await freePort(), await freePort()];

  // A clean environment: a DATABASE_URL or AUTH_ISSUER in the caller's shell must not leak in.
  const serverEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(twinPort),
    LOG_LEVEL: 'info',
    RATE_LIMIT_MAX: '1000000000',
    ...(opts.acceptHandles ? { ACCEPT_HANDLES: opts.acceptHandles } : {}),
  };
  let database = 'sqlite';
  if (opts.database) {
    const schema = `bench_${randomBytes(6).toString('hex')}`;
    Object.assign(serverEnv, { DATABASE_URL: opts.database, DATABASE_SCHEMA: schema });
    database = `postgres, schema ${schema}`;
    onCleanup(() => dropSchema(opts.database!, schema));
  }

  let limiter = 'rate limit in memory';
  if (opts.redis) {
    Object.assign(serverEnv, { REDIS_URL: opts.redis, REDIS_KEY_PREFIX: `twinsync-bench-${randomBytes(4).toString('hex')}:` });
    limiter = 'rate limit counted in Redis';
  }

  process.stdout.write(`twinsync: ${database}, LOG_LEVEL=info (one line per request), ${limiter}, out of reach\n`);
  // The warm-up gets storage files of its own, so that every measured request still names an unused one.
  const warmupFiles = opts.warmupSeconds * FILES_PER_SECOND;
  process.stdout.write(`preparing ${opts.files + warmupFiles} storage files…\n`);
  const prepared = await prepare(serverEnv, opts.files + warmupFiles, path.join(dataDir, 'storage-file-ids.txt'));
  const warmupIdsFile = path.join(dataDir, 'warmup-storage-file-ids.txt');
  if (warmupFiles > 0) {
    const ids = fs.readFileSync(prepared.idsFile, 'utf8').trim().split('\n');
    fs.writeFileSync(warmupIdsFile, `${ids.slice(opts.files).join('\n')}\n`);
    fs.writeFileSync(prepared.idsFile, `${ids.slice(0, opts.files).join('\n')}\n`);
  }
  const workload = (port: number): Workload => ({
    url: `http://127.0.0.1:${port}${PATH}`,
    token: prepared.token,
    iModelId: prepared.iModelId,
    idsFile: prepared.idsFile,
    expectedStatus: 201,
    durationSeconds: opts.durationSeconds,
    connections: opts.connections,
    threads: opts.threads,
  });
  const warmup = (port: number): Workload | undefined =>
    opts.warmupSeconds > 0 ? { ...workload(port), idsFile: warmupIdsFile, durationSeconds: opts.warmupSeconds } : undefined;

  const baseline = await measure(
    {
      target: 'baseline (node:http)',
      args: ['--import', 'tsx', path.join(ROOT, 'bench/raw-server.ts')],
      env: { PATH: serverEnv.PATH, PORT: String(basePort) },
      port: basePort,
    },
    dataDir,
    generator,
    workload(basePort),
    warmup(basePort),
  );
  const twinsync = await measure(
    {
      target: `twinsync (${opts.database ? 'postgres' : 'sqlite'})`,
      // What `npm start` runs: the compiled service (built first when src/ changed).
      args: [...twinsyncProfile(opts.cpuProf), await builtService()],
      env: serverEnv,
      port: twinPort,
      database: opts.database !== undefined,
    },
    dataDir,
    generator,
    workload(twinPort),
    warmup(twinPort),
  );
  const serverLog = await readServerLog(twinsync.stdoutFile, twinsync.stderrFile, twinsync.measuredFrom);
  const storedConnections = await countConnections(serverEnv);

  const results = [baseline.result, twinsync.result];
  const twin = twinsync.result.load;
  const v = verdict(baseline.result.load, twin);
  const invalid = [
    ...results.filter((r) => r.load.unexpected > 0).map((r) => `${r.target}: ${r.load.unexpected} responses other than 201`),
    // Only twinsync needs unused ids; the baseline may go round them as often as it likes.
    ...(twin.idsWrapped > 0 ? [`${twinsync.result.target}: ran out of storage file ids (rerun with more --files)`] : []),
  ];
  printReport(results, serverLog, storedConnections, v, invalid);

  // The runs figure, beside the create figures: the worker's own cost per run.
  process.stdout.write(`\nruns: ${opts.runs} queued runs, zero-time emulated connector, one worker…\n`);
  const runs = await benchRuns({ dataDir, database: opts.database, count: opts.runs });
  const runsVerdict = runs.target.met === null ? 'target is for SQLite' : runs.target.met ? 'met' : 'NOT met';
  process.stdout.write(
    `runs: ${runs.runsPerSecond.toFixed(1)} runs/s, ${runs.overheadMs.toFixed(2)} ms per run (${runs.cpuMsPerRun.toFixed(2)} ms of the worker process's CPU), results ${JSON.stringify(runs.results)} ` +
      `(one worker, ${runs.concurrency} loops; target ≥ ${runs.target.runsPerSecond} runs/s: ${runsVerdict})\n`,
  );
  if (runs.results.Success !== opts.runs) invalid.push(`runs: not every run ended Success: ${JSON.stringify(runs.results)}`);

  // The builtin IFC connector: conversion against direct iTwin.js inserts, re-sync, peak memory.
  process.stdout.write('\nifc: the builtin IFC connector on generated IFC4 files…\n');
  const ifc = await benchIfc({
    dataDir,
    rounds: opts.ifcRounds,
    memory: !opts.noIfcMemory,
    cpuProfDir: opts.cpuProf ? path.join(ROOT, '.bench/profiles') : undefined,
  });
  process.stdout.write(describeIfc(ifc));

  // First start to ready, against starting Node alone in the same run.
  process.stdout.write("\nstartup: first start to ready, 5 times, against node -e ''…\n");
  const startup = await benchStartup(5);
  process.stdout.write(describeStartup(startup));

  const json = {
    date: new Date().toISOString(),
    machine,
    node: process.version,
    generator: generator.label,
    database,
    rateLimitCounters: opts.redis ? 'redis' : 'memory',
    durationSeconds: opts.durationSeconds,
    warmupSeconds: opts.warmupSeconds,
    connections: opts.connections,
    threads: generator.name === 'wrk' ? opts.threads : 1,
    storageFiles: prepared.files,
    results: results.map(({ load: { report: _report, ...load }, ...r }) => ({ ...r, load })),
    ratio: v.ratio,
    targets: { ...TARGETS, ratioMet: v.ratioMet, p99Met: v.p99Met, met: v.met },
    valid: invalid.length === 0,
    invalid,
    twinsyncServer: { ...serverLog, storedConnections },
    runs,
    ifc,
    startup,
  };
  fs.mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, '.bench/last.json'), `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write('written to .bench/last.json\n');
  return invalid.length ? 1 : 0;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}, stopping servers and cleaning up…\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    // After Ctrl-C, main() fails because its children were stopped: not worth a stack trace.
    if (!interrupted) process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUp();
    process.exit(interrupted ? 130 : 1);
  });
