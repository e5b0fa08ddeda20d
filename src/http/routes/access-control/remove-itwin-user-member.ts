import { removeUserMember } from '../../../domain/access-control/remove-user-member.js';
import { noContent } from '../../presenters/no-content.js';
import { MemberParams } from '../../schemas/member.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function removeITwinUserMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.removeITwinUserMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Remove iTwin user member',
      description: 'Its roles go; an owner stays an owner, anyone else stops being a member. The last member cannot be removed (409).',
      tags: ['Access Control'],
      params: MemberParams,
      response: { 204: { type: 'null', description: 'Removed. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request, reply) => {
      await removeUserMember(ctx.store, callerOf(request), request.params.iTwinId, request.params.memberId);
      return noContent(reply);
    },
  });
}
