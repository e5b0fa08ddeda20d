import { stateChanges } from '../../../domain/runs/state-changes.js';
import { mayStillWatchRun, readWatchedRun, runToWatch } from '../../../domain/runs/watch-run.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { RunParams } from '../../schemas/run.js';
import { stream } from './stream.js';

export function getStorageConnectionRunEventsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getStorageConnectionRunEvents;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get StorageConnection Run events',
      description:
        "twinsync's own: a server-sent event stream (text/event-stream) of the run's state changes and its jobs' and tasks', starting with their current states; it ends after the run's `Completed`, when the token expires, or when the caller may no longer see the run.",
      tags: ['Storage Connection Runs'],
      params: RunParams,
      response: { 200: { type: 'string', description: 'text/event-stream: events `run`, `job` and `task`.' }, ...errorResponses(401, 403, 404, 422, 429) },
    },
    handler: async (request, reply) => {
      const caller = callerOf(request);
      // Checked before the stream opens: a caller who may not see the run gets the error, not a stream.
      const run = await runToWatch(ctx.store, caller, request.params.connectionId, request.params.runId);
      await stream(app, ctx, request, reply, caller, {
        key: `run:${run.id}`,
        reader: () => () => readWatchedRun(ctx.store, run),
        // Gone: its connection was deleted (the run ended Cancelled with it).
        changes: (seen, now) => (now ? { changes: stateChanges(seen, now), done: now.state === 'Completed' } : { changes: [], done: true }),
        stillAllowed: () => mayStillWatchRun(ctx.store, caller, run),
      });
    },
  });
}
