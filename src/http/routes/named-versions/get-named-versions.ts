import { listNamedVersions } from '../../../domain/versions/list-named-versions.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { imodelUrl } from '../../presenters/imodel.js';
import { presentMinimalNamedVersion, presentNamedVersion } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelParams } from '../../schemas/imodel.js';
import { NamedVersionList, NamedVersionListQuery } from '../../schemas/version.js';

export function getNamedVersionsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getNamedVersions;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModel Named Versions',
      description: 'Named versions by changeset index; minimal items unless `Prefer: return=representation`.',
      tags: ['Named Versions'],
      params: IModelParams,
      querystring: NamedVersionListQuery,
      response: { 200: NamedVersionList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const list = await listNamedVersions(ctx.store, callerOf(request), request.params.iModelId, request.query as Record<string, unknown>);
      const full = wantsRepresentation(request.headers.prefer);
      if (full) reply.header('preference-applied', 'return=representation');
      const { publicUrl } = ctx.config;
      return {
        namedVersions: list.items.map((v) => (full ? presentNamedVersion(publicUrl, v) : presentMinimalNamedVersion(v))),
        _links: collectionLinks(`${imodelUrl(publicUrl, list.iModelId)}/namedversions`, list.filter, list),
      };
    },
  });
}
