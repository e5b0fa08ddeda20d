import { listMembers } from '../../../domain/members/list-members.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentMember } from '../../presenters/member.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { MemberList } from '../../schemas/member.js';
import { PagingQuery } from '../../schemas/source-file.js';

export function getITwinMembersRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinMembers;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin members',
      tags: ['Access Control'],
      params: ITwinParams,
      querystring: PagingQuery,
      response: { 200: MemberList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listMembers(ctx.store, callerOf(request), request.params.iTwinId, request.query as Record<string, unknown>);
      return {
        members: list.items.map(presentMember),
        _links: collectionLinks(`${ctx.config.publicUrl}/accesscontrol/itwins/${list.iTwinId}/members`, {}, list),
      };
    },
  });
}
