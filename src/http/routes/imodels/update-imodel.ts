import { parseIModelChange } from '../../../domain/imodels/imodel-body.js';
import { updateIModel } from '../../../domain/imodels/update-imodel.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentIModel } from '../../presenters/imodel.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelParams, IModelResponse, IModelUpdate } from '../../schemas/imodel.js';
import { domainChecksBody } from '../../validation.js';

export function updateIModelRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateIModel;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update iModel',
      description: 'Changes the name (unique within the iTwin), description or extent; absent properties stay as they are.',
      tags: ['iModels'],
      params: IModelParams,
      body: IModelUpdate,
      response: { 200: IModelResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const change = parseIModelChange(request.body);
      return { iModel: presentIModel(ctx.config.publicUrl, await updateIModel(ctx.store, callerOf(request), request.params.iModelId, change)) };
    },
  });
}
