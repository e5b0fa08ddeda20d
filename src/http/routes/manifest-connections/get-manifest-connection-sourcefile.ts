import { getManifestSourceFile } from '../../../domain/manifest-connections/get-manifest-source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentManifestSourceFile } from '../../presenters/manifest-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestSourceFileResponse } from '../../schemas/manifest-connection.js';
import { SourceFileParams } from '../../schemas/source-file.js';

export function getManifestSourceFileRoute(app: App, ctx: AppContext): void {
  const operation = operations.getManifestSourceFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get ManifestConnection SourceFile',
      tags: ['Manifest Connection Source Files'],
      params: SourceFileParams,
      response: { 200: ManifestSourceFileResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const { connectionId, sourceFileId } = request.params;
      return { sourceFile: presentManifestSourceFile(await getManifestSourceFile(ctx.store, callerOf(request), connectionId, sourceFileId)) };
    },
  });
}
