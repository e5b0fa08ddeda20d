import { stateChanges } from '../../../domain/runs/state-changes.js';
import { imodelToWatch, mayStillWatchIModel, runsToWatch } from '../../../domain/runs/watch-imodel.js';
import { Type } from 'typebox';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { stream } from './stream.js';

export function getIModelSynchronizationEventsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getIModelSynchronizationEvents;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModel synchronization events',
      description:
        "twinsync's own: a server-sent event stream (text/event-stream) of the state changes of every run of the iModel, whichever connection ran it, and of their jobs and tasks. It stays open until the client closes it, the token expires, or the caller may no longer see the iModel.",
      tags: ['Storage Connection Runs'],
      params: Type.Object({ iModelId: Type.String() }),
      response: { 200: { type: 'string', description: 'text/event-stream: events `run`, `job` and `task`.' }, ...errorResponses(401, 403, 404, 429) },
    },
    handler: async (request, reply) => {
      const caller = callerOf(request);
      const imodel = await imodelToWatch(ctx.store, caller, request.params.iModelId);
      await stream(app, ctx, request, reply, caller, {
        key: `imodel:${imodel.id}`,
        reader: () => {
          // Shared by the iModel's streams: runs seen active and not yet seen Completed (run id → connection id).
          const followed = new Map<string, string>();
          return async () => {
            const runs = await runsToWatch(ctx.store, imodel.id, followed);
            for (const run of runs) {
              if (run.state === 'Completed') followed.delete(run.id);
              else followed.set(run.id, run.connectionId);
            }
            return runs;
          };
        },
        changes: (seen, runs) => ({ changes: runs.flatMap((run) => stateChanges(seen, run)), done: false }),
        stillAllowed: () => mayStillWatchIModel(ctx.store, caller, imodel.id),
      });
    },
  });
}
