import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createStorageConnection } from '../src/domain/storage-connections/create-storage-connection.js';
import { SqlStore as Store } from '../src/store/store.js';
import { dropSchema, prepare } from './prepare.js';

/**
 * `npx tsx bench/create-in-process.ts [--creates 20000] [--concurrency 50] [--database postgres://…]`:
 * the create path below HTTP (createStorageConnection on a Store, `concurrency` creates in flight at
 * any time, each naming an unused storage file) in this one process, with no load generator and no
 * HTTP. It isolates the store's share of a create, for comparing changes to the store; it is not the
 * benchmark (`npm run bench` is). Prints creates/s and CPU ms per create of this process.
 */
const { values } = parseArgs({
  options: { creates: { type: 'string' }, concurrency: { type: 'string' }, database: { type: 'string' }, rounds: { type: 'string' } },
});
const creates = Number(values.creates ?? 20_000);
const concurrency = Number(values.concurrency ?? 50);
const rounds = Number(values.rounds ?? 3);

/** Write system calls and bytes written by this process so far (Linux), or undefined. */
function writes(): { calls: number; bytes: number } | undefined {
  try {
    const io = Object.fromEntries(
      fs
        .readFileSync('/proc/self/io', 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(': ')),
    );
    return { calls: Number(io.syscw), bytes: Number(io.wchar) };
  } catch {
    return undefined;
  }
}

/** Size of the SQLite WAL file: it stays small only if checkpoints keep up. */
function walBytes(databaseUrl: string): number {
  try {
    return fs.statSync(`${databaseUrl.slice('sqlite:'.length)}-wal`).size;
  } catch {
    return 0;
  }
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'twinsync-inproc-'));
const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
const schema = `bench_inproc_${process.pid}`;
if (values.database) Object.assign(env, { DATABASE_URL: values.database, DATABASE_SCHEMA: schema });

try {
  const prepared = await prepare(env, creates * rounds, path.join(dataDir, 'ids.txt'));
  const ids = fs.readFileSync(prepared.idsFile, 'utf8').trim().split('\n');
  const { loadConfig } = await import('../src/config.js');
  const config = loadConfig(env);
  const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  const subject = (await store.db.selectFrom('itwin_members').select('subject').executeTakeFirstOrThrow()).subject;
  const caller = Object.freeze({ subject, clientId: 'bench', scopes: new Set(['itwin-platform']) });
  let next = 0;
  for (let round = 0; round < rounds; round++) {
    const end = next + creates;
    const io = writes();
    const cpu = process.cpuUsage();
    const start = performance.now();
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < end) {
          const id = ids[next++]!;
          const t = performance.now();
          await createStorageConnection(store, caller, {
            iModelId: prepared.iModelId,
            displayName: 'bench',
            sourceFiles: [{ storageFileId: id, connectorType: 'IFC' }],
          });
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    latencies.sort((a, b) => a - b);
    const cpuMs = (used.user + used.system) / 1000 / creates;
    const ioAfter = writes();
    const perCreate =
      io && ioAfter
        ? `, ${((ioAfter.calls - io.calls) / creates).toFixed(1)} writes and ${((ioAfter.bytes - io.bytes) / creates / 1024).toFixed(1)} KiB per create`
        : '';
    process.stdout.write(
      `round ${round + 1}: ${(creates / seconds).toFixed(0)} creates/s, ${cpuMs.toFixed(3)} CPU ms per create, ` +
        `p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(2)} ms, p99 ${latencies[Math.floor(latencies.length * 0.99)]!.toFixed(2)} ms` +
        `${values.database ? '' : `, WAL file ${(walBytes(config.databaseUrl) / 2 ** 20).toFixed(1)} MiB`}${perCreate}\n`,
    );
  }
  await store.close();
} finally {
  if (values.database) await dropSchema(values.database, schema);
  fs.rmSync(dataDir, { recursive: true, force: true });
}
