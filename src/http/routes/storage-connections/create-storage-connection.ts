import { createStorageConnection } from '../../../domain/storage-connections/create-storage-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { connectionUrl, presentConnection } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { StorageConnectionCreate, StorageConnectionResponse } from '../../schemas/storage-connection.js';
import { domainChecksBody } from '../../validation.js';

export function createStorageConnectionRoute(app: App, ctx: AppContext): void {
  app.route({
    ...fromTable(operations.createStorageConnection),
    schema: {
      operationId: operations.createStorageConnection.id,
      summary: 'Create Storage Connection',
      description: 'Create a StorageConnection that describes files from Storage to synchronize to the iModel.',
      tags: ['Storage Connections'],
      body: StorageConnectionCreate,
      response: {
        201: { ...StorageConnectionResponse, description: 'Connection successfully created.' },
        ...errorResponses(401, 406, 409, 413, 415, 422, 429),
      },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const connection = await createStorageConnection(ctx.store, callerOf(request), request.body as unknown);
      return reply
        .status(201)
        .header('location', connectionUrl(ctx.config.publicUrl, connection.id))
        .send({ connection: presentConnection(ctx.config.publicUrl, connection) });
    },
  });
}
