import { listRoles } from '../../../domain/access-control/get-roles.js';
import { presentRole } from '../../presenters/access-control.js';
import { RoleList } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinRolesRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinRoles;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin roles',
      tags: ['Access Control'],
      params: ITwinParams,
      response: { 200: RoleList, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({ roles: (await listRoles(ctx.store, callerOf(request), request.params.iTwinId)).map(presentRole) }),
  });
}
