import { removeManifestSourceFile } from '../../../domain/manifest-connections/remove-manifest-source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { SourceFileParams } from '../../schemas/source-file.js';

export function removeManifestSourceFileRoute(app: App, ctx: AppContext): void {
  const operation = operations.removeManifestSourceFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Remove ManifestConnection SourceFile',
      tags: ['Manifest Connection Source Files'],
      params: SourceFileParams,
      response: { 204: { type: 'null', description: 'Removed. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const { connectionId, sourceFileId } = request.params;
      await removeManifestSourceFile(ctx.store, callerOf(request), connectionId, sourceFileId);
      return noContent(reply);
    },
  });
}
