import { listRuns } from '../../../domain/runs/list-runs.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentRun } from '../../presenters/run.js';
import { connectionUrl } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { RunList } from '../../schemas/run.js';
import { ConnectionParams, ContinuedPagingQuery } from '../../schemas/source-file.js';

/** Newest first; minimal items are `{id, state, result}`, `Prefer: return=representation` gives whole runs. */
export function getStorageConnectionRunsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getStorageConnectionRuns;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get StorageConnection Runs',
      tags: ['Storage Connection Runs'],
      params: ConnectionParams,
      querystring: ContinuedPagingQuery,
      response: { 200: RunList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const { connectionId } = request.params;
      const whole = wantsRepresentation(request.headers.prefer);
      if (whole) reply.header('preference-applied', 'return=representation');
      const list = await listRuns(ctx.store, callerOf(request), connectionId, request.query as Record<string, unknown>, whole);
      return {
        runs: list.items.map((run) => (whole ? presentRun(ctx.config.publicUrl, run) : { id: run.id, state: run.state, result: run.result })),
        _links: collectionLinks(`${connectionUrl(ctx.config.publicUrl, connectionId)}/runs`, {}, list),
      };
    },
  });
}
