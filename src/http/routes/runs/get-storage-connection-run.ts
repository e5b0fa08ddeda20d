import { getRun } from '../../../domain/runs/get-run.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentRun } from '../../presenters/run.js';
import { errorResponses } from '../../schemas/common.js';
import { RunParams, RunResponse } from '../../schemas/run.js';

export function getStorageConnectionRunRoute(app: App, ctx: AppContext): void {
  const operation = operations.getStorageConnectionRun;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get StorageConnection Run',
      tags: ['Storage Connection Runs'],
      params: RunParams,
      response: { 200: RunResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const { connectionId, runId } = request.params;
      return { run: presentRun(ctx.config.publicUrl, await getRun(ctx.store, callerOf(request), connectionId, runId)) };
    },
  });
}
