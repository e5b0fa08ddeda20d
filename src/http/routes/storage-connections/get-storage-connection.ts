import { getStorageConnection } from '../../../domain/storage-connections/get-storage-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentConnection } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ConnectionParams } from '../../schemas/source-file.js';
import { StorageConnectionResponse } from '../../schemas/storage-connection.js';

export function getStorageConnectionRoute(app: App, ctx: AppContext): void {
  const operation = operations.getStorageConnection;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get StorageConnection',
      tags: ['Storage Connections'],
      params: ConnectionParams,
      response: { 200: StorageConnectionResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const connection = await getStorageConnection(ctx.store, callerOf(request), request.params.connectionId);
      return { connection: presentConnection(ctx.config.publicUrl, connection) };
    },
  });
}
