import { createHash } from 'node:crypto';
import { pino } from 'pino';
import type { RunsConfig } from '../../src/config.js';
import type { ConnectorResolver } from '../../src/connectors/connector.js';
import { createConnectorResolver } from '../../src/connectors/registry.js';
import type { Store } from '../../src/domain/store.js';
import { contentKey } from '../../src/domain/storage/blobs.js';
import { Worker } from '../../src/worker/worker.js';
import { call, SC } from './api.js';
import type { Harness } from './harness.js';
import { createBody, postCreate } from './requests.js';

/** Settings that make runs fast and observable in tests; connectors emulated, instant by default. */
export function runEnv(connectors: unknown = { default: { kind: 'emulate', durationMs: 0 } }, extra: Record<string, string> = {}) {
  return {
    CONNECTORS: JSON.stringify(connectors),
    WORKER_POLL_MS: '20',
    WORKER_LEASE_MS: '3000',
    TASK_RETRY_BACKOFF_MS: '50',
    ...extra,
  };
}

/**
 * A worker not yet started, over the harness's store (or `store`, say one that counts statements)
 * and its settings with `settings` over them; its connectors as configured unless given.
 */
export function newWorker(h: Harness, options: { store?: Store; settings?: Partial<RunsConfig>; connectors?: ConnectorResolver } = {}): Worker {
  return new Worker({
    store: options.store ?? h.store,
    blobs: h.blobs,
    dataDir: h.config.dataDir,
    settings: { ...h.config.runs, ...options.settings },
    connectors: options.connectors ?? createConnectorResolver(h.config.runs.connectors, h.config.dataDir, h.config.runs.connectorProcesses),
    log: pino({ level: process.env.TWINSYNC_TEST_LOG ?? 'silent' }),
  });
}

/** A worker over the harness's store and config, as `npm start` runs one in-process. */
export function startWorker(h: Harness): Worker {
  const worker = new Worker({
    store: h.store,
    blobs: h.blobs,
    dataDir: h.config.dataDir,
    settings: h.config.runs,
    connectors: createConnectorResolver(h.config.runs.connectors, h.config.dataDir, h.config.runs.connectorProcesses),
    // TWINSYNC_TEST_LOG=warn (for example) shows the worker's log when a test needs looking into.
    log: pino({ level: process.env.TWINSYNC_TEST_LOG ?? 'silent' }),
  });
  worker.start();
  return worker;
}

/** A connection of alice over `names` (fresh iTwin and iModel); `Service` unless said otherwise. */
export async function runnableConnection(h: Harness, names: string[], options: { authenticationType?: string; connectorType?: string } = {}) {
  const itwin = await h.itwin();
  const iModelId = await h.imodel(itwin);
  const fileIds: string[] = [];
  for (const name of names) fileIds.push(await h.file(itwin, name));
  const body = createBody(iModelId, fileIds, { authenticationType: options.authenticationType ?? 'Service' });
  if (options.connectorType) for (const f of body.sourceFiles) f.connectorType = options.connectorType;
  const res = await postCreate(h, body);
  if (res.statusCode !== 201) throw new Error(res.body);
  return { itwin, iModelId, fileIds, connectionId: res.json().connection.id as string };
}

export async function startRun(h: Harness, connectionId: string, subject?: string) {
  return call(h, 'POST', `${SC}/${connectionId}/run`, { subject });
}

export function runIdOf(location: string): string {
  return location.split('/')[8]!;
}

export async function getRun(h: Harness, connectionId: string, runId: string) {
  const res = await call(h, 'GET', `${SC}/${connectionId}/runs/${runId}`);
  if (res.statusCode !== 200) throw new Error(`GET run: ${res.statusCode} ${res.body}`);
  return res.json().run;
}

/** Polls like the real clients do (faster), recording every state seen, until Completed. */
export async function pollUntilCompleted(h: Harness, connectionId: string, runId: string, timeoutMs = 20_000) {
  const states: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(h, connectionId, runId);
    if (states.at(-1) !== run.state) states.push(run.state);
    if (run.state === 'Completed') return { run, states };
    if (Date.now() > deadline) throw new Error(`run not completed in time; states ${states.join(' → ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A new completed version of a storage file's content, as upload + complete would leave it. */
export async function newContentVersion(h: Harness, fileId: string, content: string) {
  const file = await h.store.db.selectFrom('storage_files').selectAll().where('id', '=', fileId).executeTakeFirstOrThrow();
  const version = file.content_version + 1;
  await h.blobs.put(contentKey(fileId, version), Buffer.from(content));
  await h.store.db
    .updateTable('storage_files')
    .set({ content_version: version, size: Buffer.byteLength(content), content_hash: createHash('sha256').update(content).digest('hex') })
    .where('id', '=', fileId)
    .execute();
}

export async function consent(h: Harness, subject: string) {
  await h.store.consents.grant(subject, new Date().toISOString());
}
