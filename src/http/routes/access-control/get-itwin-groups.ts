import { listGroups } from '../../../domain/groups/get-groups.js';
import { presentGroup } from '../../presenters/access-control.js';
import { collectionLinks } from '../../presenters/collection.js';
import { GroupList } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { PagingQuery } from '../../schemas/source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinGroupsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinGroups;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin groups',
      tags: ['Access Control'],
      params: ITwinParams,
      querystring: PagingQuery,
      response: { 200: GroupList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listGroups(ctx.store, callerOf(request), request.params.iTwinId, request.query as Record<string, unknown>);
      return {
        groups: list.items.map(presentGroup),
        _links: collectionLinks(`${ctx.config.publicUrl}/accesscontrol/itwins/${list.iTwinId}/groups`, {}, list),
      };
    },
  });
}
