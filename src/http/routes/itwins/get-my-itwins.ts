import { listMyITwins } from '../../../domain/itwins/list-my-itwins.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentITwin, presentITwinMinimal } from '../../presenters/itwin.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinList, ITwinListQuery } from '../../schemas/itwin.js';

export function getMyITwinsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getMyITwins;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get my iTwins',
      description: 'The iTwins the caller is a member of, oldest first. Minimal items unless `Prefer: return=representation`.',
      tags: ['iTwins'],
      querystring: ITwinListQuery,
      response: { 200: ITwinList, ...errorResponses(401, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const list = await listMyITwins(ctx.store, callerOf(request), request.query as Record<string, unknown>);
      const full = wantsRepresentation(request.headers.prefer);
      if (full) reply.header('preference-applied', 'return=representation');
      return {
        iTwins: list.items.map(full ? presentITwin : presentITwinMinimal),
        _links: collectionLinks(`${ctx.config.publicUrl}/itwins`, list.filter, list),
      };
    },
  });
}
