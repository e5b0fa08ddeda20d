import { getRun } from '../../../domain/runs/get-run.js';
import { stateChanges } from '../../../domain/runs/state-changes.js';
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
        "twinsync's own: a server-sent event stream (text/event-stream) of the run's state changes and its jobs' and tasks', starting with their current states; it ends after the run's `Completed`.",
      tags: ['Storage Connection Runs'],
      params: RunParams,
      response: { 200: { type: 'string', description: 'text/event-stream: events `run`, `job` and `task`.' }, ...errorResponses(401, 403, 404, 422, 429) },
    },
    handler: async (request, reply) => {
      const caller = callerOf(request);
      const { connectionId, runId } = request.params;
      // Checked before the stream opens: a caller who may not see the run gets the error, not a stream.
      const first = await getRun(ctx.store, caller, connectionId, runId);
      const seen = new Map<string, string>();
      let next: typeof first | undefined = first;
      await stream(app, ctx, request, reply, async () => {
        const run = next ?? (await ctx.store.runs.find(first.connectionId, first.id));
        next = undefined;
        // Gone: its connection was deleted (the run ended Cancelled with it).
        if (!run) return { changes: [], done: true };
        return { changes: stateChanges(seen, run), done: run.state === 'Completed' };
      });
    },
  });
}
