import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { SC } from '../helpers/api.js';
import { PUBLIC_URL } from '../helpers/harness.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { runEnv, runIdOf, runnableConnection, startRun } from '../helpers/runs.js';

/** A stream opened with a real client: its status, its body so far, and whether the server ended it. */
function open(base: string, path: string, token: string, agent?: http.Agent) {
  let body = '';
  let ended = false;
  let status = 0;
  const req = http.get(`${base}${path}`, { agent, headers: { authorization: `Bearer ${token}` } });
  const answered = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => (ended = true));
      resolve();
    });
    req.on('error', reject);
  });
  return {
    answered,
    status: () => status,
    body: () => body,
    ended: () => ended,
    close: () => req.destroy(),
  };
}

async function until(predicate: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('not in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const env = runEnv(undefined, {
  EVENT_STREAM_POLL_MS: '20',
  EVENT_STREAM_HEARTBEAT_MS: '100',
  EVENT_STREAM_MAX_PER_CALLER: '2',
  EVENT_STREAM_MAX: '3',
  EVENT_STREAM_RECHECK_MS: '50',
  AUTH_CLOCK_SKEW_SECONDS: '0',
});

onEveryStore('event stream limits, expiry and re-checks', { env }, ({ h }) => {
  let base: string;
  before(async () => {
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(() => h.app.close());

  const imodelEvents = (iModelId: string) => `/synchronization/imodels/${iModelId}/events`;

  it('a caller beyond EVENT_STREAM_MAX_PER_CALLER, then anybody beyond EVENT_STREAM_MAX, gets 429 in the error shape; a closed stream frees its place', async () => {
    const alice = await h.token('alice');
    const bob = await h.token('bob');
    const { iModelId } = await runnableConnection(h, ['a.ifc']);
    const bobsIModel = await h.imodel(await h.itwin('bob'), 'bob');
    const first = open(base, imodelEvents(iModelId), alice);
    const second = open(base, imodelEvents(iModelId), alice);
    await Promise.all([first.answered, second.answered]);
    assert.deepEqual([first.status(), second.status()], [200, 200]);
    const third = await fetch(`${base}${imodelEvents(iModelId)}`, { headers: { authorization: `Bearer ${alice}` } });
    assert.equal(third.status, 429);
    const error = ((await third.json()) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'TooManyEventStreams');
    assert.match(error.message, /This user already has 2 event streams open/);
    // bob has none: his first is the process's third, his second one too many for the process.
    const bobs = open(base, imodelEvents(bobsIModel), bob);
    await bobs.answered;
    assert.equal(bobs.status(), 200);
    const beyond = await fetch(`${base}${imodelEvents(bobsIModel)}`, { headers: { authorization: `Bearer ${bob}` } });
    assert.equal(beyond.status, 429);
    assert.match(((await beyond.json()) as { error: { message: string } }).error.message, /The server already holds 3/);
    first.close();
    bobs.close();
    // The server sees the client go, and counts the stream out.
    let again: ReturnType<typeof open> | undefined;
    await until(() => {
      if (again?.status() === 200) return true;
      if (!again || again.status() === 429) again = open(base, imodelEvents(iModelId), alice);
      return false;
    });
    again?.close();
    second.close();
  });

  it('a stream ends when its token expires', async () => {
    const { iModelId } = await runnableConnection(h, ['a.ifc']);
    const now = Math.floor(Date.now() / 1000);
    const token = await h.signRaw({
      iss: PUBLIC_URL,
      aud: 'twinsync',
      sub: 'alice',
      client_id: 'client-of-alice',
      scope: 'itwin-platform',
      iat: now,
      exp: now + 2,
    });
    const s = open(base, imodelEvents(iModelId), token);
    await s.answered;
    assert.equal(s.status(), 200);
    const opened = Date.now();
    await until(() => s.ended(), 5000);
    assert.ok(Date.now() >= (now + 2) * 1000 - 50, 'not before the token expires');
    assert.ok(Date.now() - opened < 4000);
  });

  it('a stream ends once its caller is no longer a member of the iTwin', async () => {
    const { itwin, iModelId, connectionId } = await runnableConnection(h, ['a.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    const alice = await h.token('alice');
    const asAlice = (method: string, path: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${alice}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const added = await asAlice('POST', `/accesscontrol/itwins/${itwin.id}/members`, { userId: 'carol' });
    assert.ok(added.status < 300, await added.text());
    const carol = await h.token('carol');
    const onIModel = open(base, imodelEvents(iModelId), carol);
    const onRun = open(base, `${SC}/${connectionId}/runs/${runId}/events`, carol);
    await Promise.all([onIModel.answered, onRun.answered]);
    assert.deepEqual([onIModel.status(), onRun.status()], [200, 200]);
    await until(() => onIModel.body().includes('event: run') && onRun.body().includes('event: run'));
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!onIModel.ended() && !onRun.ended());
    assert.equal((await asAlice('DELETE', `/accesscontrol/itwins/${itwin.id}/members/carol`)).status, 204);
    await until(() => onIModel.ended() && onRun.ended(), 3000);
  });

  it('streams one after another on one kept-alive connection leave no listener behind on its socket', async () => {
    const { connectionId } = await runnableConnection(h, ['a.ifc']);
    const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
    await h.store.db.updateTable('runs').set({ state: 'Completed', result: 'Success', ended_at: new Date().toISOString() }).where('id', '=', runId).execute();
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    h.app.server.on('connection', (socket: unknown) => sockets.add(socket));
    try {
      for (let i = 0; i < 15; i++) {
        const s = open(base, `${SC}/${connectionId}/runs/${runId}/events`, await h.token(), agent);
        await s.answered;
        await until(() => s.ended());
      }
      await new Promise((r) => setImmediate(r));
      assert.equal(sockets.size, 1, 'the streams shared one connection');
      const [socket] = [...sockets] as import('node:net').Socket[];
      assert.ok(socket!.listenerCount('close') < 5, `close listeners: ${socket!.listenerCount('close')}`);
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning'),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      agent.destroy();
    }
  });
});
