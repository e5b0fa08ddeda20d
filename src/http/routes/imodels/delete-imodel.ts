import { deleteIModel } from '../../../domain/imodels/delete-imodel.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelParams } from '../../schemas/imodel.js';

export function deleteIModelRoute(app: App, ctx: AppContext): void {
  const operation = operations.deleteIModel;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete iModel',
      description: 'Deletes the iModel with its storage connections and their source files.',
      tags: ['iModels'],
      params: IModelParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request, reply) => {
      await deleteIModel(ctx.store, ctx.blobs, ctx.config.dataDir, callerOf(request), request.params.iModelId);
      return noContent(reply);
    },
  });
}
