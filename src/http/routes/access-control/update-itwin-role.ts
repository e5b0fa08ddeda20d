import { updateRole } from '../../../domain/access-control/update-role.js';
import { presentRole } from '../../presenters/access-control.js';
import { RoleParams, RoleResponse, RoleUpdate } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function updateITwinRoleRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateITwinRole;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update iTwin role',
      description: "`permissions` replace the role's; its holders' permissions change at once.",
      tags: ['Access Control'],
      params: RoleParams,
      body: RoleUpdate,
      response: { 200: RoleResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => ({
      role: presentRole(await updateRole(ctx.store, callerOf(request), request.params.iTwinId, request.params.roleId, request.body)),
    }),
  });
}
