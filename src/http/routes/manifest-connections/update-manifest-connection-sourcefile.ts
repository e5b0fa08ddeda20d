import { updateManifestSourceFile } from '../../../domain/manifest-connections/update-manifest-source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentManifestSourceFile } from '../../presenters/manifest-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestSourceFileCreate, ManifestSourceFileResponse } from '../../schemas/manifest-connection.js';
import { SourceFileParams } from '../../schemas/source-file.js';
import { domainChecksBody } from '../../validation.js';

export function updateManifestSourceFileRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateManifestSourceFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update ManifestConnection SourceFile',
      tags: ['Manifest Connection Source Files'],
      params: SourceFileParams,
      body: ManifestSourceFileCreate,
      response: { 200: ManifestSourceFileResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const { connectionId, sourceFileId } = request.params;
      const file = await updateManifestSourceFile(ctx.store, callerOf(request), connectionId, sourceFileId, request.body as unknown);
      return { sourceFile: presentManifestSourceFile(file) };
    },
  });
}
