import { listSourceFiles } from '../../../domain/source-files/list-source-files.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentSourceFile } from '../../presenters/source-file.js';
import { connectionUrl } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ConnectionParams, ContinuedPagingQuery, SourceFileList } from '../../schemas/source-file.js';

export function getSourceFilesRoute(app: App, ctx: AppContext): void {
  const operation = operations.getSourceFiles;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get StorageConnection SourceFiles',
      description: 'Oldest first. Minimal items unless `Prefer: return=representation`, which adds connectorType.',
      tags: ['Storage Connection Source Files'],
      params: ConnectionParams,
      querystring: ContinuedPagingQuery,
      response: { 200: SourceFileList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const { connectionId } = request.params;
      const list = await listSourceFiles(ctx.store, callerOf(request), connectionId, request.query as Record<string, unknown>);
      const full = wantsRepresentation(request.headers.prefer);
      if (full) reply.header('preference-applied', 'return=representation');
      return {
        sourceFiles: list.items.map((f) => presentSourceFile(ctx.config.publicUrl, f, full)),
        _links: collectionLinks(`${connectionUrl(ctx.config.publicUrl, connectionId)}/sourcefiles`, {}, list),
      };
    },
  });
}
