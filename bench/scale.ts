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
import { createRate, median, medianGet, walk, type Api } from './scale-client.js';
import { iModelId, seed } from './scale-seed.js';

/**
 * `npm run bench -- --scale [--database postgres://…] [--duration S]`: what a large store costs.
 * On a store holding one small iModel (100 connections), then after bulk-seeding 1,000,000
 * connections over 10,000 iModels plus one iModel of 100,000: the create rate, the first page
 * (`$top=100`) of an iModel of 100 and of the large one, and the cost of a page at the start and at
 * the end of walking the large iModel by `_links.next` (against `$skip=90000`, the offset it
 * replaced). Issue 14's limits: creates within 20% of the small store's rate, a first page within
 * 1.5× of its time there, a page at the end of the walk no dearer than at its start.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPREAD = { iModels: 10_000, connections: 1_000_000 };
const LARGE = 100_000;
const SMALL = 100;
const PAGE = 100;
/** Storage files for the creates: four phases (warm-up and measure, before and after) at up to ~3,000/s. */
const FILES_PER_PHASE_SECOND = 3_000;
const CONCURRENCY = 16;
const REPEAT = 30;

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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-scale-'));
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
    const schema = `scale_${randomBytes(6).toString('hex')}`;
    Object.assign(env, { DATABASE_URL: database, DATABASE_SCHEMA: schema });
    onCleanup(() => dropSchema(database, schema));
  }
  const phaseFiles = options.seconds * FILES_PER_PHASE_SECOND;
  const prepared = await prepare(env, 4 * phaseFiles, path.join(dataDir, 'ids.txt'));
  const ids = fs.readFileSync(prepared.idsFile, 'utf8').trim().split('\n');
  const files = (phase: number) => ids.slice(phase * phaseFiles, (phase + 1) * phaseFiles);
  const api: Api = { base, token: prepared.token };

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
  const plan = { itwinId: owner.itwin_id, subject: owner.created_by };
  const day = 86_400_000;
  const small = iModelId('small-', 0);
  await withStore((s) =>
    seed(s, { ...plan, iModelPrefix: 'small-', iModels: 1, connectionPrefix: 'small-c', connections: SMALL, startMs: Date.now() - 40 * day }),
  );

  const serve = async <T>(label: string, work: () => Promise<T>) => {
    const child = startLogged(process.execPath, [main], env, path.join(dataDir, `${label}.out.log`), path.join(dataDir, `${label}.err.log`));
    try {
      await waitForPort(port, child, path.join(dataDir, `${label}.err.log`));
      return await work();
    } finally {
      await stop(child);
    }
  };
  const firstPage = (id: string) => `/synchronization/imodels/storageconnections?imodelId=${id}&$top=${PAGE}`;

  process.stdout.write(`[${name}] small store: ${SMALL} connections…\n`);
  const before = await serve('small', async () => {
    await createRate(api, prepared.iModelId, files(0), Math.min(2, options.seconds), CONCURRENCY);
    const creates = await createRate(api, prepared.iModelId, files(1), options.seconds, CONCURRENCY);
    const page = await medianGet(api, firstPage(small), REPEAT);
    return { creates, firstPageMs: page, load: load() };
  });

  process.stdout.write(`[${name}] seeding ${SPREAD.connections} connections over ${SPREAD.iModels} iModels and ${LARGE} in one…\n`);
  const seedStarted = performance.now();
  await withStore(async (s) => {
    await seed(s, { ...plan, iModelPrefix: 'scale-', ...SPREAD, connectionPrefix: 'scale-c', startMs: Date.now() - 30 * day });
    await seed(s, { ...plan, iModelPrefix: 'large-', iModels: 1, connectionPrefix: 'large-c', connections: LARGE, startMs: Date.now() - 20 * day });
  });
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const stored = await withStore(async (s) =>
    Number(
      (
        await s.db
          .selectFrom('storage_connections')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );
  process.stdout.write(`[${name}] seeded in ${seedSeconds.toFixed(1)} s; ${stored} connections stored\n`);

  const large = iModelId('large-', 0);
  const after = await serve('large', async () => {
    await createRate(api, prepared.iModelId, files(2), Math.min(2, options.seconds), CONCURRENCY);
    const creates = await createRate(api, prepared.iModelId, files(3), options.seconds, CONCURRENCY);
    const smallPage = await medianGet(api, firstPage(small), REPEAT);
    const typicalPage = await medianGet(api, firstPage(iModelId('scale-', 5000)), REPEAT);
    const largePage = await medianGet(api, firstPage(large), REPEAT);
    const walked = await walk(api, firstPage(large), base);
    const skipStart = await medianGet(api, `${firstPage(large)}&$skip=0`, REPEAT);
    const skipEnd = await medianGet(api, `${firstPage(large)}&$skip=90000`, Math.ceil(REPEAT / 3));
    return { creates, smallPage, typicalPage, largePage, walked, skipStart, skipEnd, load: load() };
  });

  const edge = 50;
  const walkStart = median(after.walked.ms.slice(1, edge + 1));
  const walkEnd = median(after.walked.ms.slice(-edge));
  const r = {
    store: name,
    storedConnections: stored,
    seedSeconds,
    createsPerSecond: { small: before.creates.perSecond, large: after.creates.perSecond, ratio: after.creates.perSecond / before.creates.perSecond },
    firstPageMs: {
      small: before.firstPageMs,
      largeStoreSameIModel: after.smallPage,
      largeStoreTypicalIModel: after.typicalPage,
      ratio: after.typicalPage / before.firstPageMs,
      largeIModel: after.largePage,
    },
    walk: { pages: after.walked.ms.length, items: after.walked.items, startMs: walkStart, endMs: walkEnd, ratio: walkEnd / walkStart },
    skip: { zeroMs: after.skipStart, ninetyThousandMs: after.skipEnd, ratio: after.skipEnd / after.skipStart },
    loadAverage: { small: before.load, large: after.load },
    valid: before.creates.unexpected === 0 && after.creates.unexpected === 0 && after.walked.items === LARGE,
    met: {} as Record<string, boolean>,
  };
  r.met = { creates: r.createsPerSecond.ratio >= 0.8, firstPage: r.firstPageMs.ratio <= 1.5, walk: r.walk.ratio <= 1.2 };
  process.stdout.write(describe(r, before.creates, after.creates));
  return r;
}

function describe(
  r: {
    store: string;
    createsPerSecond: { small: number; large: number; ratio: number };
    firstPageMs: { small: number; largeStoreSameIModel: number; largeStoreTypicalIModel: number; ratio: number; largeIModel: number };
    walk: { pages: number; items: number; startMs: number; endMs: number; ratio: number };
    skip: { zeroMs: number; ninetyThousandMs: number; ratio: number };
    loadAverage: { small: string; large: string };
    met: Record<string, boolean>;
  },
  ...creates: { created: number; unexpected: number; ranOut: boolean }[]
): string {
  const f = (n: number) => n.toFixed(2);
  const ok = (b: boolean | undefined) => (b ? 'met' : 'NOT met');
  return [
    `[${r.store}] creates/s: ${r.createsPerSecond.small.toFixed(0)} small store, ${r.createsPerSecond.large.toFixed(0)} at scale (×${f(r.createsPerSecond.ratio)}; ≥ 0.8: ${ok(r.met.creates)})` +
      ` [${creates.map((c) => `${c.created} created, ${c.unexpected} unexpected${c.ranOut ? ', ran out of files' : ''}`).join('; ')}]`,
    `[${r.store}] first page $top=${PAGE}, median ms: ${f(r.firstPageMs.small)} small store; at scale ${f(r.firstPageMs.largeStoreTypicalIModel)} (an iModel of 100; ×${f(r.firstPageMs.ratio)}; ≤ 1.5: ${ok(r.met.firstPage)}),` +
      ` ${f(r.firstPageMs.largeStoreSameIModel)} (the small store's iModel), ${f(r.firstPageMs.largeIModel)} (the iModel of ${LARGE})`,
    `[${r.store}] walk by next links: ${r.walk.pages} pages, ${r.walk.items} items; median ms of a page: ${f(r.walk.startMs)} first 50, ${f(r.walk.endMs)} last 50 (×${f(r.walk.ratio)}; ≤ 1.2: ${ok(r.met.walk)})`,
    `[${r.store}] offsets: $skip=0 ${f(r.skip.zeroMs)} ms, $skip=90000 ${f(r.skip.ninetyThousandMs)} ms (×${f(r.skip.ratio)})`,
    `[${r.store}] load average (1, 5, 15 min): ${r.loadAverage.small} after the small store, ${r.loadAverage.large} after the large one`,
    '',
  ].join('\n');
}
