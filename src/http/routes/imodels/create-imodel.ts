import { createIModel } from '../../../domain/imodels/create-imodel.js';
import { parseNewIModel } from '../../../domain/imodels/imodel-body.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { imodelUrl, presentIModel } from '../../presenters/imodel.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelCreate, IModelResponse } from '../../schemas/imodel.js';
import { domainChecksBody } from '../../validation.js';

export function createIModelRoute(app: App, ctx: AppContext): void {
  const operation = operations.createIModel;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create iModel',
      description: 'Creates an empty iModel (state `initialized`) in an iTwin the caller is a member of.',
      tags: ['iModels'],
      body: IModelCreate,
      response: { 201: IModelResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const imodel = await createIModel(ctx.store, callerOf(request).subject, parseNewIModel(request.body));
      return reply
        .status(201)
        .header('location', imodelUrl(ctx.config.publicUrl, imodel.id))
        .send({ iModel: presentIModel(ctx.config.publicUrl, imodel) });
    },
  });
}
