import { deleteRole } from '../../../domain/access-control/delete-role.js';
import { noContent } from '../../presenters/no-content.js';
import { RoleParams } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function deleteITwinRoleRoute(app: App, ctx: AppContext): void {
  const operation = operations.deleteITwinRole;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete iTwin role',
      tags: ['Access Control'],
      params: RoleParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request, reply) => {
      await deleteRole(ctx.store, callerOf(request), request.params.iTwinId, request.params.roleId);
      return noContent(reply);
    },
  });
}
