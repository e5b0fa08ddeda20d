import { addSourceFile } from '../../../domain/source-files/add-source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentSourceFile, sourceFileUrl } from '../../presenters/source-file.js';
import { errorResponses } from '../../schemas/common.js';
import { ConnectionParams, SourceFileBody, SourceFileResponse } from '../../schemas/source-file.js';
import { domainChecksBody } from '../../validation.js';

export function addSourceFileRoute(app: App, ctx: AppContext): void {
  const operation = operations.addSourceFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Add StorageConnection SourceFile',
      tags: ['Storage Connection Source Files'],
      params: ConnectionParams,
      body: SourceFileBody,
      response: { 201: SourceFileResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const { connectionId } = request.params;
      const file = await addSourceFile(ctx.store, callerOf(request), connectionId, request.body as unknown);
      return reply
        .status(201)
        .header('location', sourceFileUrl(ctx.config.publicUrl, connectionId, file.id))
        .send({ sourceFile: presentSourceFile(ctx.config.publicUrl, file) });
    },
  });
}
