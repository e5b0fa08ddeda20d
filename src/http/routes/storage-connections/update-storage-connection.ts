import { updateStorageConnection } from '../../../domain/storage-connections/update-storage-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentConnection } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ConnectionParams } from '../../schemas/source-file.js';
import { StorageConnectionResponse, StorageConnectionUpdate } from '../../schemas/storage-connection.js';
import { domainChecksBody } from '../../validation.js';

export function updateStorageConnectionRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateStorageConnection;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update StorageConnection',
      description: 'Partial update: only the fields sent change. The iModel and iTwin never change.',
      tags: ['Storage Connections'],
      params: ConnectionParams,
      body: StorageConnectionUpdate,
      response: { 200: StorageConnectionResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const connection = await updateStorageConnection(ctx.store, callerOf(request), request.params.connectionId, request.body as unknown);
      return { connection: presentConnection(ctx.config.publicUrl, connection) };
    },
  });
}
