import { getSourceFile } from '../../../domain/source-files/get-source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentSourceFile } from '../../presenters/source-file.js';
import { errorResponses } from '../../schemas/common.js';
import { SourceFileParams, SourceFileResponse } from '../../schemas/source-file.js';

export function getSourceFileRoute(app: App, ctx: AppContext): void {
  const operation = operations.getSourceFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get StorageConnection SourceFile',
      tags: ['Storage Connection Source Files'],
      params: SourceFileParams,
      response: { 200: SourceFileResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const { connectionId, sourceFileId } = request.params;
      const file = await getSourceFile(ctx.store, callerOf(request), connectionId, sourceFileId);
      return { sourceFile: presentSourceFile(ctx.config.publicUrl, file) };
    },
  });
}
