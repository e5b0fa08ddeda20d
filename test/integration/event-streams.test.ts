import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import type { Worker } from '../../src/worker/worker.js';
import { SC } from '../helpers/api.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';

interface SseEvent {
  event: string;
  data: any;
}

/** Opens a server-sent event stream with a real client; `events` fills as they arrive. */
function openStream(base: string, path: string, token: string) {
  const events: SseEvent[] = [];
  let raw = '';
  let status = 0;
  let contentType = '';
  const ended = new Promise<void>((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      status = res.statusCode ?? 0;
      contentType = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        let cut: number;
        while ((cut = raw.indexOf('\n\n')) >= 0) {
          const block = raw.slice(0, cut);
          raw = raw.slice(cut + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data) events.push({ event, data: JSON.parse(data) });
          else events.push({ event: 'comment', data: block });
        }
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    streams.push(req);
  });
  return { events, ended, status: () => status, contentType: () => contentType };
}
const streams: http.ClientRequest[] = [];

async function until(predicate: () => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const CONNECTORS = { default: { kind: 'emulate', durationMs: 150 } };

onEveryStore('event streams', { env: runEnv(CONNECTORS, { EVENT_STREAM_POLL_MS: '20', EVENT_STREAM_HEARTBEAT_MS: '100' }) }, ({ h }) => {
  let worker: Worker;
  let base: string;
  before(async () => {
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    worker = startWorker(h);
  });
  after(async () => {
    for (const s of streams) s.destroy();
    await worker?.stop(1000);
  });

  it("a run's stream tells its jobs' and tasks' states, then the run's Completed, and ends", async () => {
    const { connectionId } = await runnableConnection(h, ['a.ifc', 'b.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    const s = openStream(base, `${SC}/${connectionId}/runs/${runId}/events`, await h.token());
    await s.ended;
    assert.equal(s.status(), 200);
    assert.match(s.contentType(), /^text\/event-stream/);
    const data = s.events.filter((e) => e.event !== 'comment');
    const last = data.at(-1)!;
    assert.equal(last.event, 'run');
    assert.deepEqual([last.data.state, last.data.result], ['Completed', 'Success']);
    const tasks = data.filter((e) => e.event === 'task');
    assert.equal(new Set(tasks.map((e) => e.data.taskId)).size, 2);
    for (const id of new Set(tasks.map((e) => e.data.taskId))) {
      assert.equal(tasks.filter((e) => e.data.taskId === id).at(-1)!.data.state, 'Completed');
    }
    assert.ok(data.some((e) => e.event === 'job' && e.data.state === 'Completed'));
    assert.ok(data.every((e) => e.data.runId === runId && e.data.connectionId === connectionId));
  });

  it("the iModel's stream follows its runs, with heartbeats, and is closed by the server's shutdown", async () => {
    const { connectionId, iModelId } = await runnableConnection(h, ['c.ifc']);
    const s = openStream(base, `/synchronization/imodels/${iModelId}/events`, await h.token());
    await until(() => s.events.some((e) => e.event === 'comment'));
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    await until(() => s.events.some((e) => e.event === 'run' && e.data.runId === runId && e.data.state === 'Completed'));
    assert.ok(s.events.some((e) => e.event === 'task' && e.data.state === 'Executing'));
    // Other callers: the same answers as the run routes.
    const other = await h.app.inject({
      method: 'GET',
      url: `/synchronization/imodels/${iModelId}/events`,
      headers: { authorization: `Bearer ${await h.token('mallory')}` },
    });
    assert.equal(other.statusCode, 403);
    const missing = await h.app.inject({
      method: 'GET',
      url: `${SC}/${connectionId}/runs/00000000-0000-4000-8000-000000000000/events`,
      headers: { authorization: `Bearer ${await h.token()}` },
    });
    assert.equal(missing.statusCode, 404);
    assert.equal((await h.app.inject({ method: 'GET', url: `/synchronization/imodels/${iModelId}/events` })).statusCode, 401);
    await worker.stop(1000);
    await h.app.close();
    await s.ended;
  });
});
