import { removeOwner } from '../../../domain/access-control/remove-owner.js';
import { noContent } from '../../presenters/no-content.js';
import { MemberParams } from '../../schemas/member.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function removeITwinOwnerMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.removeITwinOwnerMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Remove iTwin owner member',
      description: 'Only owners may; the last owner cannot be removed (409 CannotRemoveLastOwner). A member holding roles keeps them.',
      tags: ['Access Control'],
      params: MemberParams,
      response: { 204: { type: 'null', description: 'Removed. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request, reply) => {
      await removeOwner(ctx.store, callerOf(request), request.params.iTwinId, request.params.memberId);
      return noContent(reply);
    },
  });
}
