import { MANIFEST_RUNS } from '../../../domain/runs/kinds.js';
import { listRuns } from '../../../domain/runs/list-runs.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { manifestConnectionUrl } from '../../presenters/manifest-connection.js';
import { presentManifestRun } from '../../presenters/run.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestRunList } from '../../schemas/run.js';
import { ConnectionParams, ContinuedPagingQuery } from '../../schemas/source-file.js';

/** Newest first; minimal items are `{id, state, result}`, `Prefer: return=representation` gives whole runs. */
export function getManifestConnectionRunsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getManifestConnectionRuns;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get ManifestConnection Runs',
      tags: ['Manifest Connection Runs'],
      params: ConnectionParams,
      querystring: ContinuedPagingQuery,
      response: { 200: ManifestRunList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const { connectionId } = request.params;
      const whole = wantsRepresentation(request.headers.prefer);
      if (whole) reply.header('preference-applied', 'return=representation');
      const list = await listRuns(ctx.store, callerOf(request), connectionId, request.query as Record<string, unknown>, whole, MANIFEST_RUNS);
      return {
        runs: list.items.map((run) => (whole ? presentManifestRun(ctx.config.publicUrl, run) : { id: run.id, state: run.state, result: run.result })),
        _links: collectionLinks(`${manifestConnectionUrl(ctx.config.publicUrl, connectionId)}/runs`, {}, list),
      };
    },
  });
}
