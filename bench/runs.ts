import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { createConnectorResolver } from '../src/connectors/registry.js';
import { createITwin } from '../src/domain/itwins/create-itwin.js';
import { LocalBlobStore } from '../src/blobs/local-blob-store.js';
import { contentKey } from '../src/domain/storage/blobs.js';
import { SqlStore as Store } from '../src/store/store.js';
import { Worker } from '../src/worker/worker.js';
import { dropSchema } from './prepare.js';

export interface RunsBenchResult {
  runs: number;
  seconds: number;
  runsPerSecond: number;
  /** Wall time per run: claim, plan, one task, finalize, each committed. */
  overheadMs: number;
  /**
   * CPU time (user and system) of this process per run while the worker drained them: steadier than
   * runs per second on a machine whose speed varies. PostgreSQL's own CPU is not in it; SQLite's
   * is (it runs in this process), and so is this bench's own query every 50 ms for runs left.
   */
  cpuMsPerRun: number;
  /** Loops of the one worker. */
  concurrency: number;
  results: Record<string, number>;
  target: { runsPerSecond: number; met: boolean | null };
}

/** The target holds for the embedded default (SQLite); PostgreSQL is reported as measured. */
export const RUNS_TARGET = 100;

/**
 * `count` runs queued at once (each of its own connection and iModel, since an iModel has one
 * active run at a time), one source file each, a zero-time emulated connector, drained by one
 * worker in this process (its default concurrency, or `concurrency` loops): what is measured is
 * the worker's own cost per run.
 */
export async function benchRuns(options: { dataDir: string; database?: string; count: number; concurrency?: number }): Promise<RunsBenchResult> {
  const dir = path.join(options.dataDir, 'runs-bench');
  const schema = `bench_runs_${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    DATA_DIR: dir,
    ...(options.database ? { DATABASE_URL: options.database, DATABASE_SCHEMA: schema } : {}),
    LOG_LEVEL: 'silent',
    CONNECTORS: JSON.stringify({ default: { kind: 'emulate', durationMs: 0 } }),
    // One worker as `npm run worker` runs it: its default concurrency unless told otherwise.
    ...(options.concurrency ? { WORKER_CONCURRENCY: String(options.concurrency) } : {}),
    WORKER_POLL_MS: '10',
  });
  const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  try {
    await queue(store, dir, options.count);
    // A deployment's tables have statistics; a schema filled a moment ago has none until autovacuum
    // gets to it (a minute later), and PostgreSQL plans the worker's statements blind until then.
    if (options.database) {
      await sql`analyze imodels, storage_files, storage_connections, source_files, runs, run_jobs, run_tasks, synced_files, changesets, storage_uploads`.execute(
        store.db,
      );
    }
    const worker = new Worker({
      store,
      dataDir: dir,
      settings: config.runs,
      connectors: createConnectorResolver(config.runs.connectors, dir, config.runs.connectorProcesses),
      log: pino({ level: 'silent' }),
    });
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    worker.start();
    for (;;) {
      const left = await store.db
        .selectFrom('runs')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('state', '<>', 'Completed')
        .executeTakeFirstOrThrow();
      if (Number(left.n) === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    await worker.stop(1000);
    const byResult = await store.db
      .selectFrom('runs')
      .select(['result', (e) => e.fn.countAll<number>().as('n')])
      .groupBy('result')
      .execute();
    const runsPerSecond = options.count / seconds;
    return {
      runs: options.count,
      seconds,
      runsPerSecond,
      overheadMs: (seconds * 1000) / options.count,
      cpuMsPerRun: (cpu.user + cpu.system) / 1000 / options.count,
      concurrency: config.runs.workerConcurrency,
      results: Object.fromEntries(byResult.map((r) => [r.result, Number(r.n)])),
      target: { runsPerSecond: RUNS_TARGET, met: options.database ? null : runsPerSecond >= RUNS_TARGET },
    };
  } finally {
    await store.close();
    if (options.database) await dropSchema(options.database, schema);
  }
}

/** The queued state the API leaves behind, written in bulk (queueing is not what is measured). */
async function queue(store: Store, dir: string, count: number): Promise<void> {
  const subject = 'bench-runs';
  const itwin = await createITwin(store, subject, { displayName: 'runs bench' });
  const content = Buffer.from('x');
  const hash = createHash('sha256').update(content).digest('hex');
  const base = Date.now();
  const at = (i: number) => new Date(base + i).toISOString();
  for (let from = 0; from < count; from += 200) {
    const n = Math.min(200, count - from);
    const ids = Array.from({ length: n }, (_, k) => ({
      i: from + k,
      imodel: randomUUID(),
      file: randomBytes(32).toString('base64url'),
      connection: randomBytes(32).toString('base64url'),
    }));
    const blobs = new LocalBlobStore(dir);
    for (const { file } of ids) await blobs.put(contentKey(file, 1), content);
    await store.writeSql(async (trx) => {
      await trx
        .insertInto('imodels')
        .values(
          ids.map(({ i, imodel }) => ({
            id: imodel,
            itwin_id: itwin.id,
            name: `m${i}`,
            description: null,
            state: 'initialized',
            extent: null,
            created_at: at(i),
            created_by: subject,
          })),
        )
        .execute();
      await trx
        .insertInto('storage_files')
        .values(
          ids.map(({ i, file }) => ({
            id: file,
            itwin_id: itwin.id,
            folder_id: itwin.rootFolderId,
            display_name: `f${i}.ifc`,
            description: null,
            size: 1,
            content_version: 1,
            content_hash: hash,
            created_at: at(i),
            created_by: subject,
            modified_at: at(i),
            modified_by: subject,
          })),
        )
        .execute();
      await trx
        .insertInto('storage_connections')
        .values(
          ids.map(({ i, imodel, connection }) => ({
            id: connection,
            imodel_id: imodel,
            itwin_id: itwin.id,
            display_name: `c${i}`,
            authentication_type: 'Service',
            created_by: subject,
            created_at: at(i),
            last_run_id: null,
          })),
        )
        .execute();
      await trx
        .insertInto('source_files')
        .values(
          ids.map(({ i, imodel, file, connection }) => ({
            id: randomUUID(),
            connection_id: connection,
            imodel_id: imodel,
            storage_file_id: file,
            connector_type: 'IFC',
            created_at: at(i),
          })),
        )
        .execute();
      await trx
        .insertInto('runs')
        .values(
          ids.map(({ i, imodel, connection }) => ({
            id: randomUUID(),
            connection_id: connection,
            imodel_id: imodel,
            requested_by: subject,
            state: 'WaitingToExecute',
            result: 'Undetermined',
            phase: null,
            error_key: null,
            error_description: null,
            created_at: at(i),
            started_at: null,
            ended_at: null,
            deadline_ms: base + 3_600_000,
            lease_owner: null,
            lease_expires_ms: 0,
            claims: 0,
          })),
        )
        .execute();
    });
  }
  fs.mkdirSync(path.join(dir, 'work'), { recursive: true });
}
