import { addManifestSourceFile } from '../../../domain/manifest-connections/add-manifest-source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { manifestSourceFileUrl, presentManifestSourceFile } from '../../presenters/manifest-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestSourceFileCreate, ManifestSourceFileResponse } from '../../schemas/manifest-connection.js';
import { ConnectionParams } from '../../schemas/source-file.js';
import { domainChecksBody } from '../../validation.js';

export function addManifestSourceFileRoute(app: App, ctx: AppContext): void {
  const operation = operations.addManifestSourceFile;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Add ManifestConnection SourceFile',
      tags: ['Manifest Connection Source Files'],
      params: ConnectionParams,
      body: ManifestSourceFileCreate,
      response: {
        201: { ...ManifestSourceFileResponse, description: 'Manifest Connection sourceFile successfully added.' },
        ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429),
      },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const { connectionId } = request.params;
      const file = await addManifestSourceFile(ctx.store, callerOf(request), connectionId, request.body as unknown);
      return reply
        .status(201)
        .header('location', manifestSourceFileUrl(ctx.config.publicUrl, connectionId, file.id))
        .send({ sourceFile: presentManifestSourceFile(file) });
    },
  });
}
