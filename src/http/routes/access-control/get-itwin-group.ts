import { getGroup } from '../../../domain/groups/get-groups.js';
import { presentGroup } from '../../presenters/access-control.js';
import { GroupParams, GroupResponse } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinGroupRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinGroup;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin group',
      tags: ['Access Control'],
      params: GroupParams,
      response: { 200: GroupResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({
      group: presentGroup(await getGroup(ctx.store, callerOf(request), request.params.iTwinId, request.params.groupId)),
    }),
  });
}
