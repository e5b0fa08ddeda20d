import { runStorageConnection } from '../../../domain/runs/run-storage-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { runUrl } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ConnectionParams } from '../../schemas/source-file.js';

const EMPTY = { type: 'null' } as const;

/**
 * 202 with the absolute Location of the queued run, or 303 to the iModel's active run; neither has
 * a body or a Content-Type (itwin-cli would call response.json() on one). fetch follows the 303 as
 * a GET of the run, which answers 200.
 */
export function runStorageConnectionRoute(app: App, ctx: AppContext): void {
  const operation = operations.runStorageConnection;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Run StorageConnection',
      tags: ['Storage Connection Runs'],
      params: ConnectionParams,
      response: {
        202: { ...EMPTY, description: 'Run queued; Location names it. No body, no Content-Type.' },
        303: { ...EMPTY, description: 'A run of the iModel is already active; Location names it.' },
        ...errorResponses(401, 403, 404, 406, 409, 422, 429),
      },
    },
    handler: async (request, reply) => {
      const outcome = await runStorageConnection(ctx.store, callerOf(request), request.params.connectionId, ctx.config.runs.runTimeoutMs);
      if (outcome.queued) ctx.runQueued?.();
      reply.header('location', runUrl(ctx.config.publicUrl, outcome.connectionId, outcome.runId, outcome.queued ? 'storage' : outcome.kind));
      return noContent(reply, outcome.queued ? 202 : 303);
    },
  });
}
