import { removeGroupMember } from '../../../domain/groups/remove-group-member.js';
import { noContent } from '../../presenters/no-content.js';
import { GroupParams } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function removeITwinGroupMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.removeITwinGroupMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Remove iTwin group member',
      description: 'The group stays; it stops being a member and its users lose what only it gave them.',
      tags: ['Access Control'],
      params: GroupParams,
      response: { 204: { type: 'null', description: 'Removed. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request, reply) => {
      await removeGroupMember(ctx.store, callerOf(request), request.params.iTwinId, request.params.groupId);
      return noContent(reply);
    },
  });
}
