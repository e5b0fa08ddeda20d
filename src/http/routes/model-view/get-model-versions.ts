import { listModelVersions, modelAvailability } from '../../../domain/model-view/list-model-versions.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { collectionLinks } from '../../presenters/collection.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelParams } from '../../schemas/imodel.js';
import { ModelVersionList, ModelVersionListQuery } from '../../schemas/model-view.js';

/**
 * Which versions have a model to show (docs/model-view.md, `model-versions`). twinsync's own list
 * beside the changesets list, whose documented shape has no such field and stays as documented.
 */
export function getModelVersionsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getModelVersions;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get the versions of an iModel and whether each has a model to show (twinsync)',
      description:
        'The changesets, paged as the changesets list is, each with `model`: `available` when its own checkpoint exists (the model-view ' +
        'operations answer), else why not. `model=available&$orderBy=index desc&$top=1`: the newest version that can be shown. docs/model-view.md.',
      tags: ['Model view'],
      params: IModelParams,
      querystring: ModelVersionListQuery,
      response: { 200: ModelVersionList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listModelVersions(ctx.store, callerOf(request), request.params.iModelId, request.query as Record<string, unknown>);
      return {
        versions: list.items.map((c) => {
          const named = list.namedVersions.get(c.index);
          return {
            changesetIndex: c.index,
            changesetId: c.id,
            description: c.description,
            pushDateTime: c.pushedAt,
            model: modelAvailability(c),
            namedVersion: named ? { id: named.id, displayName: named.name } : null,
          };
        }),
        _links: collectionLinks(`${ctx.config.publicUrl}/twinsync/imodels/${list.iModelId}/model-versions`, list.filter, list),
      };
    },
  });
}
