import { listManifestConnections } from '../../../domain/manifest-connections/list-manifest-connections.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentConnection } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestConnectionList, ManifestConnectionListQuery } from '../../schemas/manifest-connection.js';

/** Oldest first; minimal items (`id`, `displayName`) unless `Prefer: return=representation`. */
export function getManifestConnectionsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getManifestConnections;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get ManifestConnections',
      tags: ['Manifest Connections'],
      querystring: ManifestConnectionListQuery,
      response: { 200: ManifestConnectionList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const list = await listManifestConnections(ctx.store, callerOf(request), request.query as Record<string, unknown>);
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
