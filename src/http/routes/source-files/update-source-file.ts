import { updateSourceFile } from '../../../domain/source-files/update-source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentSourceFile } from '../../presenters/source-file.js';
import { errorResponses } from '../../schemas/common.js';
import { SourceFileBody, SourceFileParams, SourceFileResponse } from '../../schemas/source-file.js';
import { domainChecksBody } from '../../validation.js';

export function updateSourceFileRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateSourceFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update StorageConnection SourceFile',
      description: 'Both storageFileId and connectorType are required.',
      tags: ['Storage Connection Source Files'],
      params: SourceFileParams,
      body: SourceFileBody,
      response: { 200: SourceFileResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const { connectionId, sourceFileId } = request.params;
      const file = await updateSourceFile(ctx.store, callerOf(request), connectionId, sourceFileId, request.body as unknown);
      return { sourceFile: presentSourceFile(ctx.config.publicUrl, file) };
    },
  });
}
