import { removeMember } from '../../../domain/members/remove-member.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { MemberParams } from '../../schemas/member.js';

export function removeITwinMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.removeITwinMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Remove iTwin member',
      description: 'Removes a member (members may remove themselves); the last member cannot be removed (409).',
      tags: ['Access Control'],
      params: MemberParams,
      response: { 204: { type: 'null', description: 'Removed. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request, reply) => {
      await removeMember(ctx.store, callerOf(request), request.params.iTwinId, request.params.memberId);
      return noContent(reply);
    },
  });
}
