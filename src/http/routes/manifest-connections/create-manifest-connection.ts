import { createManifestConnection } from '../../../domain/manifest-connections/create-manifest-connection.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { manifestConnectionUrl } from '../../presenters/manifest-connection.js';
import { presentConnection } from '../../presenters/storage-connection.js';
import { errorResponses } from '../../schemas/common.js';
import { ManifestConnectionCreate, ManifestConnectionResponse } from '../../schemas/manifest-connection.js';
import { domainChecksBody } from '../../validation.js';

export function createManifestConnectionRoute(app: App, ctx: AppContext): void {
  const operation = operations.createManifestConnection;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create ManifestConnection',
      description: 'Create a ManifestConnection: which source files of a document system its manifests may synchronize to the iModel.',
      tags: ['Manifest Connections'],
      body: ManifestConnectionCreate,
      response: {
        201: { ...ManifestConnectionResponse, description: 'Connection successfully created.' },
        ...errorResponses(401, 406, 409, 413, 415, 422, 429),
      },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const connection = await createManifestConnection(ctx.store, callerOf(request), request.body as unknown);
      return reply
        .status(201)
        .header('location', manifestConnectionUrl(ctx.config.publicUrl, connection.id))
        .send({ connection: presentConnection(ctx.config.publicUrl, connection) });
    },
  });
}
