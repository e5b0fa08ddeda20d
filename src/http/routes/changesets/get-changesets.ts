import { listChangesets } from '../../../domain/versions/list-changesets.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { imodelUrl } from '../../presenters/imodel.js';
import { presentChangeset, presentMinimalChangeset } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelParams } from '../../schemas/imodel.js';
import { ChangesetList, ChangesetListQuery } from '../../schemas/version.js';

export function getChangesetsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getChangesets;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModel Changesets',
      description:
        'The changesets synchronization runs made, by index; minimal items unless `Prefer: return=representation`. ' + '`_links.next` while more remain.',
      tags: ['Changesets'],
      params: IModelParams,
      querystring: ChangesetListQuery,
      response: { 200: ChangesetList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const full = wantsRepresentation(request.headers.prefer);
      const list = await listChangesets(ctx.store, callerOf(request), request.params.iModelId, request.query as Record<string, unknown>, full);
      if (full) reply.header('preference-applied', 'return=representation');
      const { publicUrl } = ctx.config;
      return {
        changesets: list.items.map((c) => (full ? presentChangeset(publicUrl, c, list.namedVersions.get(c.index)) : presentMinimalChangeset(publicUrl, c))),
        _links: collectionLinks(`${imodelUrl(publicUrl, list.iModelId)}/changesets`, list.filter, list),
      };
    },
  });
}
