import { getUserMember } from '../../../domain/access-control/get-user-members.js';
import { presentUserMember } from '../../presenters/access-control.js';
import { UserMemberResponse } from '../../schemas/access-control.js';
import { MemberParams } from '../../schemas/member.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinUserMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinUserMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin user member',
      tags: ['Access Control'],
      params: MemberParams,
      response: { 200: UserMemberResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({
      member: presentUserMember(await getUserMember(ctx.store, callerOf(request), request.params.iTwinId, request.params.memberId)),
    }),
  });
}
