import { errors } from '../../../domain/errors.js';
import { listStorageConnections } from '../../../domain/storage-connections/list-storage-connections.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations, type Operation } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentConnection } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ConnectionListQuery, StorageConnectionList } from '../../schemas/storage-connection.js';

/**
 * Both list operations: `GET /imodels/storageconnections` (iModel optional) and the generic
 * `GET /imodels/connections` that the sample apps use (iModel required). Oldest first; minimal items
 * (`id`, `displayName`) unless `Prefer: return=representation`.
 */
export function listConnectionsRoute(app: App, ctx: AppContext, operation: Operation, summary: string): void {
  const generic = operation === operations.getConnections;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary,
      tags: ['Storage Connections'],
      querystring: ConnectionListQuery,
      response: { 200: StorageConnectionList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const list = await listStorageConnections(ctx.store, callerOf(request), request.query as Record<string, unknown>, {
        requireIModel: generic,
        // The generic list holds every kind of connection; this one, storage connections only.
        kind: generic ? undefined : 'storage',
        invalid: generic ? errors.invalidConnectionRequest : errors.invalidStorageConnectionRequest,
      });
      const full = wantsRepresentation(request.headers.prefer);
      if (full) reply.header('preference-applied', 'return=representation');
      return {
        connections: list.items.map((c) => {
          const presented = presentConnection(ctx.config.publicUrl, c);
          return full ? presented : { id: presented.id, displayName: presented.displayName };
        }),
        _links: collectionLinks(`${ctx.config.publicUrl}${operation.url}`, { iModelId: list.iModelId }, list),
      };
    },
  });
}

export function getStorageConnectionsRoute(app: App, ctx: AppContext): void {
  listConnectionsRoute(app, ctx, operations.getStorageConnections, 'Get StorageConnections');
}

export function getConnectionsRoute(app: App, ctx: AppContext): void {
  listConnectionsRoute(app, ctx, operations.getConnections, 'Get Connections');
}
