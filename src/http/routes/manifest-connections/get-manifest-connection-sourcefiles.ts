import { listManifestSourceFiles } from '../../../domain/manifest-connections/list-manifest-source-files.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { collectionLinks } from '../../presenters/collection.js';
import { manifestConnectionUrl, presentManifestSourceFile } from '../../presenters/manifest-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestSourceFileList } from '../../schemas/manifest-connection.js';
import { ConnectionParams, ContinuedPagingQuery } from '../../schemas/source-file.js';

export function getManifestSourceFilesRoute(app: App, ctx: AppContext): void {
  const operation = operations.getManifestSourceFiles;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get ManifestConnection SourceFiles',
      description: 'Oldest first; a source file is `{id, sourceFileId}` whatever `Prefer` says.',
      tags: ['Manifest Connection Source Files'],
      params: ConnectionParams,
      querystring: ContinuedPagingQuery,
      response: { 200: ManifestSourceFileList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const { connectionId } = request.params;
      const list = await listManifestSourceFiles(ctx.store, callerOf(request), connectionId, request.query as Record<string, unknown>);
      return {
        sourceFiles: list.items.map(presentManifestSourceFile),
        _links: collectionLinks(`${manifestConnectionUrl(ctx.config.publicUrl, connectionId)}/sourcefiles`, {}, list),
      };
    },
  });
}
