import { getMember } from '../../../domain/members/list-members.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentMember } from '../../presenters/member.js';
import { errorResponses } from '../../schemas/common.js';
import { MemberParams, MemberResponse } from '../../schemas/member.js';

/** The target of the `createdBy`/`lastModifiedBy`/`creator` links of files and iModels. */
export function getITwinMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin member',
      tags: ['Access Control'],
      params: MemberParams,
      response: { 200: MemberResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => {
      const member = await getMember(ctx.store, callerOf(request), request.params.iTwinId, request.params.memberId);
      return { member: presentMember(member) };
    },
  });
}
