import { getRun } from '../../../domain/runs/get-run.js';
import { MANIFEST_RUNS } from '../../../domain/runs/kinds.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentManifestRun } from '../../presenters/run.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestRunResponse, RunParams } from '../../schemas/run.js';

export function getManifestConnectionRunRoute(app: App, ctx: AppContext): void {
  const operation = operations.getManifestConnectionRun;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get ManifestConnection Run',
      tags: ['Manifest Connection Runs'],
      params: RunParams,
      response: { 200: ManifestRunResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const { connectionId, runId } = request.params;
      return { run: presentManifestRun(ctx.config.publicUrl, await getRun(ctx.store, callerOf(request), connectionId, runId, MANIFEST_RUNS)) };
    },
  });
}
