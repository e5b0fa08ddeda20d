import { listGroupMembers } from '../../../domain/groups/get-group-members.js';
import { presentGroupMember } from '../../presenters/access-control.js';
import { collectionLinks } from '../../presenters/collection.js';
import { GroupMemberList } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { PagingQuery } from '../../schemas/source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinGroupMembersRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinGroupMembers;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin group members',
      tags: ['Access Control'],
      params: ITwinParams,
      querystring: PagingQuery,
      response: { 200: GroupMemberList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listGroupMembers(ctx.store, callerOf(request), request.params.iTwinId, request.query as Record<string, unknown>);
      return {
        members: list.items.map(presentGroupMember),
        _links: collectionLinks(`${ctx.config.publicUrl}/accesscontrol/itwins/${list.iTwinId}/members/groups`, {}, list),
      };
    },
  });
}
