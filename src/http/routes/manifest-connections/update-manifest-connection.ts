import { updateManifestConnection } from '../../../domain/manifest-connections/update-manifest-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentConnection } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestConnectionResponse, ManifestConnectionUpdate } from '../../schemas/manifest-connection.js';
import { ConnectionParams } from '../../schemas/source-file.js';
import { domainChecksBody } from '../../validation.js';

export function updateManifestConnectionRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateManifestConnection;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update ManifestConnection',
      description: 'Partial update: only the fields sent change. The iModel and iTwin never change.',
      tags: ['Manifest Connections'],
      params: ConnectionParams,
      body: ManifestConnectionUpdate,
      response: { 200: ManifestConnectionResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const connection = await updateManifestConnection(ctx.store, callerOf(request), request.params.connectionId, request.body as unknown);
      return { connection: presentConnection(ctx.config.publicUrl, connection) };
    },
  });
}
