import { listIModels } from '../../../domain/imodels/list-imodels.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentIModel } from '../../presenters/imodel.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelList, IModelListQuery } from '../../schemas/imodel.js';

export function getIModelsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getIModels;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModels',
      description: 'iModels of an iTwin, oldest first; `{id, displayName}` items unless `Prefer: return=representation`.',
      tags: ['iModels'],
      querystring: IModelListQuery,
      response: { 200: IModelList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const list = await listIModels(ctx.store, callerOf(request), request.query as Record<string, unknown>);
      const full = wantsRepresentation(request.headers.prefer);
      if (full) reply.header('preference-applied', 'return=representation');
      return {
        iModels: list.items.map((m) => (full ? presentIModel(ctx.config.publicUrl, m) : { id: m.id, displayName: m.name })),
        _links: collectionLinks(`${ctx.config.publicUrl}/imodels`, list.filter, list),
      };
    },
  });
}
