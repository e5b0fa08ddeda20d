import { deleteGroup } from '../../../domain/groups/delete-group.js';
import { noContent } from '../../presenters/no-content.js';
import { GroupParams } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function deleteITwinGroupRoute(app: App, ctx: AppContext): void {
  const operation = operations.deleteITwinGroup;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete iTwin group',
      description: 'The group stops being a member too; its users lose what only it gave them.',
      tags: ['Access Control'],
      params: GroupParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request, reply) => {
      await deleteGroup(ctx.store, callerOf(request), request.params.iTwinId, request.params.groupId);
      return noContent(reply);
    },
  });
}
