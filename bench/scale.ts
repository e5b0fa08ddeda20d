import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { SqlStore as Store } from '../src/store/store.js';
import { build } from '../scripts/build.mjs';
import { dropSchema, prepare } from './prepare.js';
import { freePort, onCleanup, startLogged, stop, waitForPort } from './processes.js';
import { runAutocannon } from './autocannon.js';
import { inTurns, median, timedGet, walk, type Api } from './scale-client.js';
import { guidPrefix, iModelId, seed, type SeedPlan } from './scale-seed.js';

/**
 * `npm run bench -- --scale [--database postgres://…] [--duration S]`: what a large store costs.
 * Two stores side by side, each with its own server: a small one (an iModel of 100 connections) and
 * a large one (the same, plus 1,000,000 connections bulk-seeded over 10,000 iModels and one iModel of
 * 100,000). Measured in turns, one store then the other: the create rate, the first page
 * (`$top=100`) of the iModel of 100, and in the large store the cost of a page at the start and at
 * the end of walking the iModel of 100,000 by `_links.next` (against `$skip=90000`, the offset it
 * replaced). Issue 14's limits: creates within 20% of the small store's rate, a first page within
 * 1.5× of its time there, a page at the end of the walk no dearer than at its start (1.2 allowed
 * for noise). SQLite, then PostgreSQL when `--database` is given; figures to .bench/scale.json.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPREAD = { iModels: 10_000, connections: 1_000_000 };
const LARGE = 100_000;
const SMALL = 100;
const PAGE = 100;
/** Storage files prepared per second of creates (a second of warm-up, then `--duration`): more than a 2-core machine creates. */
const FILES_PER_SECOND = 6_000;
/** Connections of the create load, as `npm run bench` uses. */
const CONCURRENCY = 50;
/** Requests of each first page, in turns. */
const REPEAT = 200;
/** Pages at each end of the walk compared. */
const EDGE = 50;

export interface ScaleOptions {
  database?: string;
  seconds: number;
  keep: boolean;
}

export async function benchScale(options: ScaleOptions): Promise<number> {
  const machine = `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; node ${process.version}`;
  process.stdout.write(`scale: ${machine}\n`);
  const main = path.join(ROOT, 'dist/main.js');
  await build();
  const results = [await one('sqlite', undefined, options, main)];
  if (options.database) results.push(await one('postgres', options.database, options, main));
  const out = { date: new Date().toISOString(), machine, results };
  fs.mkdirSync(path.join(ROOT, '.bench'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, '.bench/scale.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write('written to .bench/scale.json\n');
  return results.every((r) => r.valid) ? 0 : 1;
}

async function one(name: 'sqlite' | 'postgres', database: string | undefined, options: ScaleOptions, main: string) {
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  process.stdout.write(`\n[${name}] load average ${load()}\n`);
  // Two stores side by side, each with its own server: the small one and the large one are measured
  // in turns (a second each, then the other), so that the other helper's load on the shared cores
  // falls on both alike instead of on whichever ran when it peaked.
  const small = await store('small', database, options, main, options.seconds);
  const large = await store('large', database, options, main, options.seconds);
  const few = iModelId(guidPrefix(1), 0);
  const day = 86_400_000;
  for (const s of [small, large]) {
    await s.seed({ iModelPrefix: guidPrefix(1), iModels: 1, connectionPrefix: 'small-c', connections: SMALL, startMs: Date.now() - 40 * day });
  }
  process.stdout.write(`[${name}] seeding ${SPREAD.connections} connections over ${SPREAD.iModels} iModels and ${LARGE} in one…\n`);
  const seedStarted = performance.now();
  await large.seed({ iModelPrefix: guidPrefix(2), ...SPREAD, connectionPrefix: 'scale-c', startMs: Date.now() - 30 * day });
  await large.seed({ iModelPrefix: guidPrefix(3), iModels: 1, connectionPrefix: 'large-c', connections: LARGE, startMs: Date.now() - 20 * day });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const stored = await large.count();
  process.stdout.write(`[${name}] seeded in ${seedSeconds.toFixed(1)} s; ${stored} connections stored (the small store: ${await small.count()})\n`);

  const firstPage = (id: string) => `/synchronization/imodels/storageconnections?imodelId=${id}&$top=${PAGE}`;
  const bigId = iModelId(guidPrefix(3), 0);
  const measured = await small.serve(() =>
    large.serve(async () => {
      // Warm-up (JIT, caches), unmeasured.
      for (const s of [small, large]) await s.creates(1);
      const creates = { small: { created: 0, seconds: 0, unexpected: 0 }, large: { created: 0, seconds: 0, unexpected: 0 } };
      for (let round = 0; round < options.seconds; round++) {
        const order = round % 2 ? (['large', 'small'] as const) : (['small', 'large'] as const);
        for (const which of order) {
          const s = which === 'small' ? small : large;
          const r = await s.creates(1);
          creates[which].created += r.created;
          creates[which].seconds += r.seconds;
          creates[which].unexpected += r.unexpected;
        }
      }
      const pages = { small: [] as number[], large: [] as number[], typical: [] as number[], big: [] as number[] };
      for (let i = 0; i < REPEAT; i++) {
        // Each first every other time: neither gains from following the other.
        for (const which of i % 2 ? (['large', 'small'] as const) : (['small', 'large'] as const)) {
          pages[which].push((await timedGet(which === 'small' ? small.api : large.api, firstPage(few))).ms);
        }
        pages.typical.push((await timedGet(large.api, firstPage(iModelId(guidPrefix(2), i % SPREAD.iModels)))).ms);
        pages.big.push((await timedGet(large.api, firstPage(bigId))).ms);
      }
      const walked = await walk(large.api, firstPage(bigId), large.api.base);
      // The pages the walk met first and last (the very first, with no token, left out), again in turns.
      const [walkStart, walkEnd] = await inTurns(large.api, walked.urls.slice(1, EDGE + 1), walked.urls.slice(-EDGE), REPEAT);
      const [skipStart, skipEnd] = await inTurns(large.api, [`${firstPage(bigId)}&$skip=0`], [`${firstPage(bigId)}&$skip=90000`], 20);
      return { creates, pages, walked, walkStart, walkEnd, skipStart, skipEnd };
    }),
  );

  const { creates, pages, walked } = measured;
  const rate = (c: { created: number; seconds: number }) => c.created / c.seconds;
  const { walkStart, walkEnd } = measured;
  const r = {
    store: name,
    storedConnections: stored,
    seedSeconds,
    createsPerSecond: { small: rate(creates.small), large: rate(creates.large), ratio: rate(creates.large) / rate(creates.small) },
    firstPageMs: {
      small: median(pages.small),
      largeStoreSameIModel: median(pages.large),
      largeStoreTypicalIModel: median(pages.typical),
      ratio: median(pages.large) / median(pages.small),
      largeIModel: median(pages.big),
    },
    walk: {
      pages: walked.ms.length,
      items: walked.items,
      startMs: walkStart,
      endMs: walkEnd,
      ratio: walkEnd / walkStart,
      // As the walk itself met them: the load from outside changed meanwhile.
      duringWalkMs: { start: median(walked.ms.slice(1, EDGE + 1)), end: median(walked.ms.slice(-EDGE)) },
    },
    skip: { zeroMs: measured.skipStart, ninetyThousandMs: measured.skipEnd, ratio: measured.skipEnd / measured.skipStart },
    loadAverage: load(),
    valid: creates.small.unexpected === 0 && creates.large.unexpected === 0 && walked.items === LARGE,
    met: {} as Record<string, boolean>,
  };
  r.met = { creates: r.createsPerSecond.ratio >= 0.8, firstPage: r.firstPageMs.ratio <= 1.5, walk: r.walk.ratio <= 1.2 };
  process.stdout.write(describe(r, creates.small, creates.large));
  return r;
}

/** One store with its own data directory (and PostgreSQL schema), the files its creates use, and its server. */
async function store(label: string, database: string | undefined, options: ScaleOptions, main: string, seconds: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `twinsync-scale-${label}-`));
  onCleanup(() => {
    if (options.keep) process.stdout.write(`kept ${dataDir}\n`);
    else fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.homedir(),
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000000',
  };
  if (database) {
    const schema = `scale_${label}_${randomBytes(6).toString('hex')}`;
    Object.assign(env, { DATABASE_URL: database, DATABASE_SCHEMA: schema });
    onCleanup(() => dropSchema(database, schema));
  }
  // Warm-up and measured seconds of creates, at up to FILES_PER_SECOND.
  const prepared = await prepare(env, (1 + seconds) * FILES_PER_SECOND, path.join(dataDir, 'ids.txt'));
  const ids = fs.readFileSync(prepared.idsFile, 'utf8').trim().split('\n');
  let used = 0;
  const config = loadConfig(env);
  const withStore = async <T>(work: (store: Store) => Promise<T>) => {
    const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  const owner = await withStore((s) =>
    s.db.selectFrom('imodels').select(['itwin_id', 'created_by']).where('id', '=', prepared.iModelId).executeTakeFirstOrThrow(),
  );
  return {
    api: { base, token: prepared.token } as Api,
    iModelId: prepared.iModelId,
    /** Creates for `seconds` by autocannon (a process of its own), each naming a storage file no create named before. */
    async creates(seconds: number) {
      const idsFile = path.join(dataDir, `ids-${used}.txt`);
      fs.writeFileSync(idsFile, `${ids.slice(used, used + seconds * FILES_PER_SECOND).join('\n')}\n`);
      const load = await runAutocannon({
        url: `${base}/synchronization/imodels/storageconnections`,
        token: prepared.token,
        iModelId: prepared.iModelId,
        idsFile,
        expectedStatus: 201,
        durationSeconds: seconds,
        connections: CONCURRENCY,
        threads: 1,
      });
      // Every id sent, and those of requests still in flight when the run stopped.
      used += load.requests + CONCURRENCY;
      return { created: load.statuses['201'] ?? 0, seconds: load.durationSeconds, unexpected: load.unexpected + load.idsWrapped };
    },
    seed: (plan: Omit<SeedPlan, 'itwinId' | 'subject'>) => withStore((s) => seed(s, { ...plan, itwinId: owner.itwin_id, subject: owner.created_by })),
    count: () =>
      withStore(async (s) =>
        Number(
          (
            await s.db
              .selectFrom('storage_connections')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    async serve<T>(work: () => Promise<T>): Promise<T> {
      const err = path.join(dataDir, 'server.err.log');
      const child = startLogged(process.execPath, [main], env, path.join(dataDir, 'server.out.log'), err);
      try {
        await waitForPort(port, child, err);
        return await work();
      } finally {
        await stop(child);
      }
    },
  };
}

function describe(
  r: {
    store: string;
    createsPerSecond: { small: number; large: number; ratio: number };
    firstPageMs: { small: number; largeStoreSameIModel: number; largeStoreTypicalIModel: number; ratio: number; largeIModel: number };
    walk: { pages: number; items: number; startMs: number; endMs: number; ratio: number; duringWalkMs: { start: number; end: number } };
    skip: { zeroMs: number; ninetyThousandMs: number; ratio: number };
    loadAverage: string;
    met: Record<string, boolean>;
  },
  ...creates: { created: number; seconds: number; unexpected: number }[]
): string {
  const f = (n: number) => n.toFixed(2);
  const ok = (b: boolean | undefined) => (b ? 'met' : 'NOT met');
  return [
    `[${r.store}] creates/s: ${r.createsPerSecond.small.toFixed(0)} small store, ${r.createsPerSecond.large.toFixed(0)} at scale (×${f(r.createsPerSecond.ratio)}; ≥ 0.8: ${ok(r.met.creates)})` +
      ` [${creates.map((c) => `${c.created} created in ${c.seconds.toFixed(1)} s, ${c.unexpected} unexpected`).join('; ')}]`,
    `[${r.store}] first page $top=${PAGE}, median ms: ${f(r.firstPageMs.small)} small store; at scale ${f(r.firstPageMs.largeStoreSameIModel)} (the same iModel of ${SMALL}; ×${f(r.firstPageMs.ratio)}; ≤ 1.5: ${ok(r.met.firstPage)}),` +
      ` ${f(r.firstPageMs.largeStoreTypicalIModel)} (iModels of ${SPREAD.connections / SPREAD.iModels} among ${SPREAD.iModels}), ${f(r.firstPageMs.largeIModel)} (the iModel of ${LARGE})`,
    `[${r.store}] walk by next links: ${r.walk.pages} pages, ${r.walk.items} items; median ms of a page: ${f(r.walk.startMs)} first ${EDGE}, ${f(r.walk.endMs)} last ${EDGE}, in turns (×${f(r.walk.ratio)}; ≤ 1.2: ${ok(r.met.walk)});` +
      ` during the walk ${f(r.walk.duringWalkMs.start)} and ${f(r.walk.duringWalkMs.end)}`,
    `[${r.store}] offsets: $skip=0 ${f(r.skip.zeroMs)} ms, $skip=90000 ${f(r.skip.ninetyThousandMs)} ms (×${f(r.skip.ratio)})`,
    `[${r.store}] load average (1, 5, 15 min) at the end: ${r.loadAverage}`,
    '',
  ].join('\n');
}
