import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { LocalBlobStore } from '../../src/blobs/local-blob-store.js';
import { loadConfig } from '../../src/config.js';
import { createIModel } from '../../src/domain/imodels/create-imodel.js';
import { createITwin } from '../../src/domain/itwins/create-itwin.js';
import { createFileWithContent } from '../../src/domain/storage/create-file-with-content.js';
import { SqlStore as Store } from '../../src/store/store.js';
import { deploymentIssuer } from '../helpers/deployment-clients.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { storeTargets, type TestDatabase } from '../helpers/stores.js';

const SC = '/synchronization/imodels/storageconnections';
const JOB = 'synchronization.jobCompleted.v1';
const CHANGESET = 'iModels.changesetCreated.v1';
/** Connections, one run each (one file, one task, one changeset): 2 events per run. */
const RUNS = 30;
/** How long the slow receiver holds a request before answering (below WEBHOOK_TIMEOUT_MS). */
const SLOW_MS = 700;

/**
 * A webhook receiver as a customer writes one, with the knobs the test turns: it checks every
 * request's `Signature` (sha256= HMAC-SHA256 of the raw body with the webhook's secret), keeps
 * every request it got, and answers 200 (`ok`), 503 (`outage`), or 200 after SLOW_MS (`slow`);
 * `down()` closes its port (connection refused) until `up()`.
 */
class Receiver {
  secret = '';
  mode: 'ok' | 'outage' | 'slow' = 'ok';
  port = 0;
  /** Every request with a valid signature: its message id, raw body and what it was answered. */
  readonly requests: Array<{ messageId: string; body: string; status: number; at: number }> = [];
  readonly badSignatures: string[] = [];
  /** Message ids of requests received and not answered yet (the slow mode holds them). */
  readonly holding = new Set<string>();
  /** The most requests held at once. */
  maxHolding = 0;
  lastOutageAnswerAt = 0;
  /** Called as a request is accepted, before it is answered (the test kills a dispatcher there). */
  onAccept?: () => void;
  private server?: http.Server;

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const expected = Buffer.from(`sha256=${createHmac('sha256', this.secret).update(raw).digest('hex')}`);
        const given = Buffer.from(String(req.headers.signature ?? ''));
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          this.badSignatures.push(given.toString());
          res.writeHead(401).end();
          return;
        }
        const body = raw.toString('utf8');
        const { messageId } = JSON.parse(body) as { messageId: string };
        const status = this.mode === 'outage' ? 503 : 200;
        // Accepted (processed) on arrival: a slow answer that never reaches a killed dispatcher
        // still counts as received, and its redelivery is a duplicate.
        this.requests.push({ messageId, body, status, at: Date.now() });
        if (status === 503) {
          this.lastOutageAnswerAt = Date.now();
          res.writeHead(503).end('outage');
          return;
        }
        this.onAccept?.();
        if (this.mode !== 'slow') {
          res.writeHead(200).end();
          return;
        }
        this.holding.add(messageId);
        this.maxHolding = Math.max(this.maxHolding, this.holding.size);
        setTimeout(() => {
          this.holding.delete(messageId);
          res.writeHead(200).end();
        }, SLOW_MS);
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/events`;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Message ids it accepted (answered 200 or meant to), with how many times each. */
  accepted(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.requests) if (r.status === 200) counts.set(r.messageId, (counts.get(r.messageId) ?? 0) + 1);
    return counts;
  }

  outageAnswers(messageId: string): number {
    return this.requests.filter((r) => r.messageId === messageId && r.status === 503).length;
  }
}

async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs: number, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    assert.ok(Date.now() < deadline, `not in time: ${what}. ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Issue 15's durable delivery, against the real service: an API process and a worker process
 * (worker and webhook dispatcher) on one store. A receiver verifies every signature and counts
 * deliveries while 30 runs execute and the worker process is killed with SIGKILL five times (mid
 * stream; during a receiver outage; while deliveries are held in flight by a slow receiver) and
 * restarted each time. At the end every event the store says happened (a jobCompleted per run, a
 * changesetCreated per changeset, read from the runs and changesets lists) reached the receiver
 * under one stable messageId, duplicates only as at-least-once allows, and the delivery history
 * shows the attempts.
 */
for (const target of storeTargets) {
  describe(`acceptance: webhooks survive SIGKILLed dispatchers and a receiver outage [${target.name}]`, { skip: target.skip, timeout: 120_000 }, () => {
    let db: TestDatabase;
    let env: Record<string, string>;
    let api: ServerProcess;
    const workers: ServerProcess[] = [];
    const receiver = new Receiver();
    let token = '';

    before(async () => {
      db = await target.create();
      env = {
        DATA_DIR: db.dataDir,
        DATABASE_URL: db.databaseUrl,
        DATABASE_SCHEMA: db.schema,
        // The token is issued before the API has a port: one issuer (the public URL) for both.
        PUBLIC_URL: 'http://twinsync.test',
        RATE_LIMIT_MAX: '1000000000',
        LOG_LEVEL: 'info',
        // Three task lengths, so that the worker's two slots drift apart and a kill finds them at
        // different steps (connector call, the task's end, the run's end).
        CONNECTORS: JSON.stringify({
          default: {
            kind: 'emulate',
            durationMs: 230,
            outcomes: [
              { fileName: '*-b.ifc', result: 'Success', durationMs: 370 },
              { fileName: '*-c.ifc', result: 'Success', durationMs: 530 },
            ],
          },
        }),
        // A killed worker's runs are taken over quickly.
        WORKER_LEASE_MS: '1000',
        WORKER_POLL_MS: '50',
        WORKER_CONCURRENCY: '2',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
        WEBHOOK_POLL_MS: '50',
        WEBHOOK_RETRY_FIRST_MS: '50',
        WEBHOOK_RETRY_MAX_MS: '400',
        // The delivery lease is this plus 5 s: what a delivery killed in flight waits.
        WEBHOOK_TIMEOUT_MS: '1500',
        WEBHOOK_CONCURRENCY: '4',
      };
      api = await startServerProcess(env, ['serve', '--no-worker']);
      await receiver.start();
    });
    after(async () => {
      for (const p of [api, ...workers]) if (p?.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await receiver.down();
      await db?.drop();
    });

    const call = async (method: string, url: string, body?: unknown): Promise<{ status: number; headers: Headers; json: any }> => {
      const res = await fetch(`${api.url}${url.startsWith('http') ? new URL(url).pathname : url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
    };

    const startWorker = async (): Promise<ServerProcess> => {
      const worker = await startServerProcess(env, ['worker'], 'worker started');
      workers.push(worker);
      return worker;
    };
    const kill = async (worker: ServerProcess): Promise<void> => {
      worker.child.kill('SIGKILL');
      assert.equal(await worker.exited, null, 'ended by the signal');
    };

    it('every event produced reaches the receiver, signed, under one messageId; none lost', async () => {
      // The deployment's client signs the token; its subject owns the iTwin and the webhook.
      const issuer = await deploymentIssuer(env);
      const client = issuer.clients[0]!;
      const subject = client.subject;
      token = (await issuer.issue({ subject, clientId: client.clientId, scopes: ['itwin-platform'], ttlSeconds: 3600 })).token;

      // 30 iModels with one file each, straight into the store the processes share.
      const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
      const store = await Store.open({ databaseUrl: config.databaseUrl, schema: config.databaseSchema });
      const iModels: string[] = [];
      const files: string[] = [];
      let iTwinId: string;
      try {
        const itwin = await createITwin(store, subject, { displayName: 'webhooks under kill' });
        iTwinId = itwin.id;
        const blobs = new LocalBlobStore(db.dataDir);
        for (let i = 0; i < RUNS; i++) {
          iModels.push((await createIModel(store, subject, { iTwinId: itwin.id, name: `kill ${i}` })).id);
          files.push(
            (await createFileWithContent(store, blobs, subject, itwin, `part-${i}-${'abc'[i % 3]}.ifc`, Buffer.from(`ISO-10303-21;\n/* ${i} */\n`))).id,
          );
        }
      } finally {
        await store.close();
      }
      const connections: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        const created = await call('POST', SC, {
          iModelId: iModels[i],
          authenticationType: 'Service',
          sourceFiles: [{ storageFileId: files[i], connectorType: 'IFC' }],
        });
        assert.equal(created.status, 201, JSON.stringify(created.json));
        connections.push(created.json.connection.id);
      }

      // The webhook, active before any run is queued (the worker processes start after it).
      const made = await call('POST', '/webhooks', { callbackUrl: receiver.url, eventTypes: [JOB, CHANGESET], scope: 'Account' });
      assert.equal(made.status, 201, JSON.stringify(made.json));
      const webhookId: string = made.json.webhook.id;
      receiver.secret = made.json.webhook.secret;
      assert.equal((await call('PATCH', `/webhooks/${webhookId}`, { active: true })).status, 200);
      for (const id of connections) assert.equal((await call('POST', `${SC}/${id}/run`)).status, 202);

      const runs = async () => {
        const lists = await Promise.all(connections.map((id) => call('GET', `${SC}/${id}/runs`)));
        return lists.map((l) => {
          assert.equal(l.status, 200, JSON.stringify(l.json));
          assert.equal(l.json.runs.length, 1, 'one run per connection');
          return l.json.runs[0] as { id: string; state: string; result: string };
        });
      };
      const completed = async () => (await runs()).filter((r) => r.state === 'Completed').length;
      const progress = () => `The receiver got ${receiver.requests.length} requests, accepted ${receiver.accepted().size} events.`;

      // 1. Killed mid-stream, three times: each worker process dies as the receiver accepts the fifth
      // event it sent (that delivery in flight), wherever its runs are at that instant.
      for (let k = 0; k < 3; k++) {
        const worker = await startWorker();
        const target = receiver.accepted().size + 5;
        receiver.onAccept = () => {
          if (receiver.accepted().size >= target) {
            receiver.onAccept = undefined;
            worker.child.kill('SIGKILL');
          }
        };
        await until(`worker ${k + 1} killed after 5 events`, () => worker.child.exitCode !== null || worker.child.signalCode !== null, 30_000, progress);
        assert.equal(worker.child.signalCode, 'SIGKILL', `worker ${k + 1} ended by the signal: ${worker.errors()}`);
      }
      const afterFirst = await completed();
      assert.ok(afterFirst < RUNS, `killed mid-stream (${afterFirst} of ${RUNS} runs done)`);

      // 2. The receiver answers 503, then refuses connections; the worker is killed meanwhile.
      receiver.mode = 'outage';
      let worker = await startWorker();
      await until('the receiver answered 503s', () => receiver.requests.filter((r) => r.status === 503).length >= 6, 30_000, progress);
      await receiver.down();
      const done = await completed();
      // Killed once a run has ended while the port was closed (its events wait in the outbox), and
      // long after the last 503 (recorded as an attempt: the history below counts on it).
      await until(
        'a run ended during the outage',
        async () => Date.now() - receiver.lastOutageAnswerAt > 1000 && (await completed()) > Math.min(done, RUNS - 1),
        30_000,
      );
      await kill(worker);

      // 3. Back up, but slow: deliveries are held in flight when the worker is killed.
      worker = await startWorker();
      receiver.mode = 'slow';
      await receiver.start();
      await until('deliveries in flight at the slow receiver', () => receiver.holding.size >= 2, 30_000, progress);
      const heldAtKill = new Set(receiver.holding);
      await kill(worker);
      receiver.mode = 'ok';
      // One dispatcher was alive: it never sends more than WEBHOOK_CONCURRENCY at once.
      assert.ok(receiver.maxHolding <= 4, `at most WEBHOOK_CONCURRENCY (4) deliveries in flight at once, saw ${receiver.maxHolding}`);

      // 4. A last worker finishes: every run, every delivery (those held in flight once their lease expires).
      worker = await startWorker();
      await until('every run completed', async () => (await completed()) === RUNS, 40_000, progress);
      const final = await runs();
      assert.deepEqual(new Set(final.map((r) => r.result)), new Set(['Success']));
      const changesets = (
        await Promise.all(
          iModels.map(async (id) => {
            const res = await call('GET', `/imodels/${id}/changesets`);
            assert.equal(res.status, 200, JSON.stringify(res.json));
            return res.json.changesets as Array<{ id: string; index: number }>;
          }),
        )
      ).flat();
      assert.equal(changesets.length, RUNS, 'one changeset per run');
      // The events the store says happened, by what identifies them (not by the outbox).
      const expected = new Set([...final.map((r) => `job ${r.id}`), ...changesets.map((c) => `changeset ${c.id}`)]);
      const deliveries = async () => {
        const res = await call('GET', `/webhooks/${webhookId}/deliveries`);
        assert.equal(res.status, 200, JSON.stringify(res.json));
        return res.json.deliveries as Array<{ messageId: string; state: string; attempts: number; lastStatusCode: number | null; lastError: string | null }>;
      };
      // Until the outbox is drained: every delivery it holds is Delivered, and the receiver has it.
      await until(
        'every delivery of the outbox delivered',
        async () => {
          const list = await deliveries();
          return list.length > 0 && list.every((d) => d.state === 'Delivered' && receiver.accepted().has(d.messageId));
        },
        30_000,
        progress,
      );
      worker.child.kill('SIGTERM');
      assert.equal(await worker.exited, 0, 'the last worker stops gracefully');

      // Every request was signed with the webhook's secret.
      assert.deepEqual(receiver.badSignatures, [], 'every delivery is signed with the secret');
      // One messageId per event, the same bytes on every delivery of it.
      const eventOf = new Map<string, string>();
      const bodyOf = new Map<string, string>();
      for (const r of receiver.requests) {
        const body = JSON.parse(r.body);
        assert.equal(body.webhookId, webhookId);
        assert.equal(body.iTwinId, iTwinId);
        const event =
          body.eventType === JOB
            ? `job ${body.content.synchronizationId}`
            : body.eventType === CHANGESET
              ? `changeset ${body.content.changesetId}`
              : `unexpected ${body.eventType}`;
        if (body.eventType === JOB) assert.equal(body.content.result, 'success');
        assert.equal(eventOf.get(r.messageId) ?? event, event, `messageId ${r.messageId} names one event`);
        assert.equal(bodyOf.get(r.messageId) ?? r.body, r.body, `every delivery of ${r.messageId} is the same body`);
        eventOf.set(r.messageId, event);
        bodyOf.set(r.messageId, r.body);
      }
      const accepted = receiver.accepted();
      const receivedEvents = [...accepted.keys()].map((m) => eventOf.get(m)!);
      assert.equal(new Set(receivedEvents).size, receivedEvents.length, 'no event was recorded twice (under two messageIds)');
      const missing = [...expected].filter((e) => !receivedEvents.includes(e));
      const unexpected = receivedEvents.filter((e) => !expected.has(e));
      assert.deepEqual(missing, [], `${missing.length} of ${expected.size} events lost (never in the outbox or never sent)`);
      assert.deepEqual(unexpected, [], 'only events that happened');
      assert.equal(accepted.size, 2 * RUNS);

      // At least once: the deliveries held at the third kill were accepted, then sent again after their lease.
      const duplicates = [...accepted.values()].reduce((sum, n) => sum + n - 1, 0);
      for (const m of heldAtKill) assert.ok(accepted.get(m)! >= 2, `${m}, in flight when its dispatcher died, was delivered again`);
      const refused = receiver.requests.filter((r) => r.status === 503).length;
      console.log(
        `[${target.name}] ${expected.size} events, ${receiver.requests.length} requests: ${duplicates} duplicate deliveries ` +
          `(${heldAtKill.size} in flight at a kill), ${refused} answered 503, 0 lost`,
      );

      // The delivery history: each event once, Delivered, with its attempts (every 503 was one).
      const history = await deliveries();
      assert.deepEqual(new Set(history.map((d) => d.messageId)), new Set(accepted.keys()));
      assert.equal(history.length, accepted.size);
      for (const d of history) {
        assert.equal(d.state, 'Delivered');
        assert.equal(d.lastStatusCode, 200);
        assert.equal(d.lastError, null);
        assert.ok(
          d.attempts >= 1 + receiver.outageAnswers(d.messageId),
          `${d.messageId}: ${d.attempts} attempts, ${receiver.outageAnswers(d.messageId)} answered 503`,
        );
      }
      assert.ok(
        history.some((d) => d.attempts > 1),
        'retries show in the history',
      );
    });
  });
}
