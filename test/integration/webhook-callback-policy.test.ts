import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { WebhookDispatcher } from '../../src/worker/webhook-dispatcher.js';
import { postEvent } from '../../src/worker/webhook-post.js';
import { SC } from '../helpers/api.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { runEnv, runIdOf, runnableConnection, startRun } from '../helpers/runs.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const JOB = 'synchronization.jobCompleted.v1';

/** A server that takes requests and never answers them. */
async function silentServer() {
  const held: http.ServerResponse[] = [];
  const server = http.createServer((_req, res) => held.push(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    requests: () => held.length,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('webhook delivery: IP literals are checked like resolved names', () => {
  const receiver = new WebhookReceiver();
  before(() => receiver.start());
  after(() => receiver.down());

  it('an IP literal the policy does not allow is refused before any connection', async () => {
    const result = await postEvent(receiver.url, '{}', 'sha256=x', 2000, { allowedHosts: [] });
    assert.deepEqual({ status: result.status, error: result.error }, { status: null, error: 'refused by the callback policy' });
    assert.match(result.detail ?? '', /127\.0\.0\.1/);
    assert.equal(receiver.requests.length + receiver.badSignatures.length, 0);
  });

  it('the same literal, allowed, is reached', async () => {
    const result = await postEvent(receiver.url, '{}', 'sha256=x', 2000, { allowedHosts: ['127.0.0.1'] });
    assert.equal(result.status, 401);
  });
});

onEveryStore(
  'webhook callback policy and failures',
  {
    env: runEnv(undefined, {
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_POLL_MS: '20',
      WEBHOOK_TIMEOUT_MS: '200',
      WEBHOOK_RETRY_FIRST_MS: '30',
      WEBHOOK_RETRY_MAX_MS: '60',
      WEBHOOK_RETRY_FOR_MS: '800',
    }),
  },
  ({ h, client }) => {
    const alice = client('alice');
    let dispatcher: WebhookDispatcher;
    before(() => {
      dispatcher = new WebhookDispatcher(h.store, h.config.events, pino({ level: 'silent' }));
      dispatcher.start();
    });
    after(() => dispatcher?.stop());

    const problem = async (callbackUrl: string) => {
      const res = await alice.post('/webhooks', { callbackUrl, eventTypes: [JOB], scope: 'Account' });
      return res.status === 201 ? undefined : res.json().error.details[0].message;
    };

    it('422 for IPv6 literals that carry a private IPv4 address, and for site-local IPv6', async () => {
      for (const host of [
        '[::127.0.0.1]',
        '[::ffff:10.0.0.1]',
        '[::ffff:0:10.0.0.1]',
        '[64:ff9b::7f00:1]',
        '[2002:7f00:1::]',
        '[2002:c0a8:101::1]',
        '[fec0::1]',
      ]) {
        assert.match(await problem(`https://${host}/in`), /public/, host);
      }
      // The same embeddings of a public IPv4 address are public.
      assert.equal(await problem('https://[64:ff9b::808:808]/in'), undefined);
      assert.equal(await problem('https://[2002:808:808::]/in'), undefined);
    });

    /** A webhook of alice's whose callback is `url` (written straight to the store, as a DNS change would make it), active. */
    async function webhookTo(url: string) {
      const created = (await alice.post('/webhooks', { callbackUrl: 'https://hooks.example.com/in', eventTypes: [JOB], scope: 'Account' })).json().webhook;
      await h.store.db.updateTable('webhooks').set({ callback_url: url }).where('id', '=', created.id).execute();
      assert.equal((await alice.patch(`/webhooks/${created.id}`, { active: true })).status, 200);
      return created.id as string;
    }

    /** One jobCompleted event: a queued run cancelled by deleting its connection (no worker runs here). */
    async function anEvent() {
      const { connectionId } = await runnableConnection(h, ['a.ifc']);
      runIdOf((await startRun(h, connectionId)).headers.location as string);
      assert.equal((await alice.delete(`${SC}/${connectionId}`)).status, 204);
    }

    async function deliveryWhen(webhookId: string, done: (d: any) => boolean) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const [delivery] = (await alice.get(`/webhooks/${webhookId}/deliveries`)).json().deliveries;
        if (delivery && done(delivery)) return delivery;
        if (Date.now() > deadline) throw new Error(`delivery not as expected in time: ${JSON.stringify(delivery)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('a name accepted at creation that resolves to a private address is refused at delivery; the history does not say where it resolves', async () => {
      const receiver = new WebhookReceiver();
      await receiver.start();
      try {
        // `localhost` resolves to loopback, offline, and is not in WEBHOOK_ALLOWED_HOSTS.
        const id = await webhookTo(`http://localhost:${receiver.port}/events`);
        await anEvent();
        const delivery = await deliveryWhen(id, (d) => d.attempts >= 1);
        assert.equal(delivery.lastError, 'refused by the callback policy');
        assert.equal(delivery.lastStatusCode, null);
        assert.equal(receiver.requests.length + receiver.badSignatures.length, 0);
        await alice.delete(`/webhooks/${id}`);
      } finally {
        await receiver.down();
      }
    });

    it('a closed port: the history says the connection failed, not why', async () => {
      const closed = new WebhookReceiver();
      await closed.start();
      await closed.down();
      const id = await webhookTo(closed.url);
      await anEvent();
      const delivery = await deliveryWhen(id, (d) => d.attempts >= 1);
      assert.equal(delivery.lastError, 'connection failed');
      await alice.delete(`/webhooks/${id}`);
    });

    it('a receiver that never answers: attempts time out, and the event is Failed once older than WEBHOOK_RETRY_FOR_MS', async () => {
      const silent = await silentServer();
      try {
        const id = await webhookTo(silent.url);
        const started = Date.now();
        await anEvent();
        const delivery = await deliveryWhen(id, (d) => d.state === 'Failed');
        assert.ok(Date.now() - started >= 800, 'not before WEBHOOK_RETRY_FOR_MS');
        assert.equal(delivery.lastError, 'no answer within 200 ms');
        assert.equal(delivery.lastStatusCode, null);
        assert.ok(delivery.attempts >= 2, `attempts: ${delivery.attempts}`);
        assert.equal(delivery.attempts, silent.requests());
        assert.equal(delivery.nextAttemptDateTime ?? null, null);
        // Failed is final: no more attempts.
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(silent.requests(), delivery.attempts);
        await alice.delete(`/webhooks/${id}`);
      } finally {
        await silent.close();
      }
    });
  },
);
