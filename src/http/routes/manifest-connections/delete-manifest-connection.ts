import { deleteManifestConnection } from '../../../domain/manifest-connections/delete-manifest-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { ConnectionParams } from '../../schemas/source-file.js';

export function deleteManifestConnectionRoute(app: App, ctx: AppContext): void {
  const operation = operations.deleteManifestConnection;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete ManifestConnection',
      description: 'Deletes the connection with its source files and runs; an active run ends Cancelled.',
      tags: ['Manifest Connections'],
      params: ConnectionParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      await deleteManifestConnection(ctx.store, callerOf(request), request.params.connectionId);
      return noContent(reply);
    },
  });
}
