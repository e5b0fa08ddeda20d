import { getIModel } from '../../../domain/imodels/get-imodel.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentIModel } from '../../presenters/imodel.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelParams, IModelResponse } from '../../schemas/imodel.js';

export function getIModelRoute(app: App, ctx: AppContext): void {
  const operation = operations.getIModel;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModel details',
      tags: ['iModels'],
      params: IModelParams,
      response: { 200: IModelResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({
      iModel: presentIModel(ctx.config.publicUrl, await getIModel(ctx.store, callerOf(request), request.params.iModelId)),
    }),
  });
}
