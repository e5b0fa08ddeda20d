import { getRole } from '../../../domain/access-control/get-roles.js';
import { presentRole } from '../../presenters/access-control.js';
import { RoleParams, RoleResponse } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinRoleRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinRole;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin role',
      tags: ['Access Control'],
      params: RoleParams,
      response: { 200: RoleResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({ role: presentRole(await getRole(ctx.store, callerOf(request), request.params.iTwinId, request.params.roleId)) }),
  });
}
