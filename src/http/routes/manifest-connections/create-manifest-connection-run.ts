import { runManifestConnection } from '../../../domain/manifest-connections/run-manifest-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { runUrl } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestRunCreate } from '../../schemas/manifest-connection.js';
import { ConnectionParams } from '../../schemas/source-file.js';
import { domainChecksBody } from '../../validation.js';

const EMPTY = { type: 'null' } as const;

/**
 * 202 with the absolute Location of the queued run, or 303 to the iModel's active run (of any of its
 * connections, of either kind); neither has a body or a Content-Type, as for storage connections.
 */
export function createManifestConnectionRunRoute(app: App, ctx: AppContext): void {
  const operation = operations.createManifestConnectionRun;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create ManifestConnection Run',
      description: 'Runs the connection on the manifest sent: each file is downloaded from its URL by the worker when its task starts.',
      tags: ['Manifest Connection Runs'],
      params: ConnectionParams,
      body: ManifestRunCreate,
      response: {
        202: { ...EMPTY, description: 'Run queued; Location names it. No body, no Content-Type.' },
        303: { ...EMPTY, description: 'A run of the iModel is already active; Location names it.' },
        ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429),
      },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const outcome = await runManifestConnection(
        ctx.store,
        callerOf(request),
        request.params.connectionId,
        request.body as unknown,
        ctx.config.runs.runTimeoutMs,
      );
      if (outcome.queued) ctx.runQueued?.();
      // A 303 may name a storage connection's run: the iModel's active run, whichever connection it is of.
      const kind = outcome.queued ? 'manifest' : outcome.kind;
      reply.header('location', runUrl(ctx.config.publicUrl, outcome.connectionId, outcome.runId, kind));
      return noContent(reply, outcome.queued ? 202 : 303);
    },
  });
}
