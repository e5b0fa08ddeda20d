import { getGroupMember } from '../../../domain/groups/get-group-members.js';
import { presentGroupMember } from '../../presenters/access-control.js';
import { GroupMemberResponse, GroupParams } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinGroupMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinGroupMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin group member',
      tags: ['Access Control'],
      params: GroupParams,
      response: { 200: GroupMemberResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({
      member: presentGroupMember(await getGroupMember(ctx.store, callerOf(request), request.params.iTwinId, request.params.groupId)),
    }),
  });
}
