import { getManifestConnection } from '../../../domain/manifest-connections/get-manifest-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentConnection } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestConnectionResponse } from '../../schemas/manifest-connection.js';
import { ConnectionParams } from '../../schemas/source-file.js';

export function getManifestConnectionRoute(app: App, ctx: AppContext): void {
  const operation = operations.getManifestConnection;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get ManifestConnection',
      tags: ['Manifest Connections'],
      params: ConnectionParams,
      response: { 200: ManifestConnectionResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const connection = await getManifestConnection(ctx.store, callerOf(request), request.params.connectionId);
      return { connection: presentConnection(ctx.config.publicUrl, connection) };
    },
  });
}
