import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { pino } from 'pino';
import { WebhookDispatcher } from '../../src/worker/webhook-dispatcher.js';
import { SC } from '../helpers/api.js';
import { onEveryStore } from '../helpers/on-every-store.js';
import { runEnv, runIdOf, runnableConnection, startRun, startWorker } from '../helpers/runs.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { MC, manifestConnection, startManifestRun } from '../helpers/manifests.js';

const JOB = 'synchronization.jobCompleted.v1';

/**
 * The jobCompleted events of runs that end without finishing: cancelled by deleting their
 * connection or their iModel, and timed out. No worker runs unless a test starts one, so a run
 * stays queued (active) until the test ends it.
 */
onEveryStore(
  'webhook events of runs that do not finish',
  { env: runEnv(undefined, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_FIRST_MS: '30', WEBHOOK_RETRY_MAX_MS: '100' }) },
  ({ h, client }) => {
    const alice = client('alice');
    const receiver = new WebhookReceiver();
    let dispatcher: WebhookDispatcher;
    let webhookId: string;
    before(async () => {
      await receiver.start();
      dispatcher = new WebhookDispatcher(h.store, h.config.events, pino({ level: 'silent' }));
      dispatcher.start();
      const created = (await alice.post('/webhooks', { callbackUrl: receiver.url, eventTypes: [JOB], scope: 'Account' })).json().webhook;
      receiver.secret = created.secret;
      webhookId = created.id;
      assert.equal((await alice.patch(`/webhooks/${webhookId}`, { active: true })).status, 200);
    });
    after(async () => {
      await dispatcher?.stop();
      await receiver.down();
    });

    const eventsOf = (runId: string) => receiver.requests.filter((r) => r.content.synchronizationId === runId);

    it('deleting the connection of an active run: one jobCompleted, cancelled', async () => {
      const { connectionId, iModelId } = await runnableConnection(h, ['a.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      assert.equal((await alice.delete(`${SC}/${connectionId}`)).status, 204);
      await receiver.waitFor(() => eventsOf(runId).length > 0);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(eventsOf(runId).length, 1);
      assert.deepEqual(eventsOf(runId)[0]!.content, { synchronizationId: runId, iModelId, connectionId, result: 'cancelled' });
    });

    it('deleting the manifest connection of an active run: one jobCompleted, cancelled', async () => {
      const { connectionId, iModelId } = await manifestConnection(h, ['f1']);
      const entry = { id: 'f1', name: 'f1.ifc', url: 'http://127.0.0.1:9/f1.ifc', connectorType: 'IFC', action: 'bridge' };
      const queued = await startManifestRun(h, connectionId, { sourceFiles: [entry] });
      assert.equal(queued.statusCode, 202, queued.body);
      const runId = runIdOf(queued.headers.location as string);
      assert.equal((await alice.delete(`${MC}/${connectionId}`)).status, 204);
      await receiver.waitFor(() => eventsOf(runId).length > 0);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(eventsOf(runId).length, 1);
      assert.deepEqual(eventsOf(runId)[0]!.content, { synchronizationId: runId, iModelId, connectionId, result: 'cancelled' });
    });

    it('deleting the iModel of an active run: one jobCompleted, cancelled', async () => {
      const { connectionId, iModelId } = await runnableConnection(h, ['a.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      assert.equal((await alice.delete(`/imodels/${iModelId}`)).status, 204);
      await receiver.waitFor(() => eventsOf(runId).length > 0);
      assert.deepEqual(eventsOf(runId)[0]!.content, { synchronizationId: runId, iModelId, connectionId, result: 'cancelled' });
    });

    it('the cancel reports only the runs it ended: a run a worker completed first gets no Cancelled event', async () => {
      const { connectionId } = await runnableConnection(h, ['a.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      const at = new Date().toISOString();
      // The worker's commit came first (it sent its own event): the delete's update ends nothing.
      await h.store.db.updateTable('runs').set({ state: 'Completed', result: 'Success', ended_at: at }).where('id', '=', runId).execute();
      const cancelled = await h.store.write((tx) => tx.runs.cancelActiveOf(connectionId, at));
      assert.deepEqual(cancelled, []);
      assert.equal((await alice.delete(`${SC}/${connectionId}`)).status, 204);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(eventsOf(runId).length, 0);
    });

    it('a run past its deadline: one jobCompleted, timedOut', async () => {
      const { connectionId, iModelId } = await runnableConnection(h, ['a.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      await h.store.db.updateTable('runs').set({ deadline_ms: 1 }).where('id', '=', runId).execute();
      const worker = startWorker(h);
      try {
        await receiver.waitFor(() => eventsOf(runId).length > 0);
      } finally {
        await worker.stop(1000);
      }
      assert.deepEqual(eventsOf(runId)[0]!.content, { synchronizationId: runId, iModelId, connectionId, result: 'timedOut' });
    });

    it('a deactivated webhook holds its deliveries and sends them once active again', async () => {
      // Events are queued for active webhooks only: this one is queued while the receiver is away,
      // then the webhook is deactivated before the receiver is back.
      await receiver.down();
      const { connectionId } = await runnableConnection(h, ['a.ifc']);
      const runId = runIdOf((await startRun(h, connectionId)).headers.location as string);
      assert.equal((await alice.delete(`${SC}/${connectionId}`)).status, 204);
      const deliveryOf = async () =>
        (await alice.get(`/webhooks/${webhookId}/deliveries`)).json().deliveries.find((d: any) => d.content.synchronizationId === runId);
      for (let i = 0; i < 500 && !((await deliveryOf())?.attempts >= 1); i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal((await alice.patch(`/webhooks/${webhookId}`, { active: false })).status, 200);
      // An attempt the dispatcher had already taken before the deactivation may still be on its way:
      // it must meet the receiver still down (what is tested is that no attempt starts while inactive).
      for (let before = -1, now = (await deliveryOf()).attempts; before !== now; ) {
        await new Promise((r) => setTimeout(r, 300));
        [before, now] = [now, (await deliveryOf()).attempts];
      }
      await receiver.up();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(eventsOf(runId).length, 0);
      assert.equal((await deliveryOf()).state, 'Pending');
      assert.equal((await alice.patch(`/webhooks/${webhookId}`, { active: true })).status, 200);
      await receiver.waitFor(() => eventsOf(runId).length > 0);
      assert.equal(eventsOf(runId)[0]!.content.result, 'cancelled');
    });
  },
);
