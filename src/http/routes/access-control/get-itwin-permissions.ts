import { myPermissions } from '../../../domain/access-control/get-permissions.js';
import { PermissionList } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinPermissionsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinPermissions;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get my iTwin permissions',
      tags: ['Access Control'],
      params: ITwinParams,
      response: { 200: PermissionList, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({ permissions: await myPermissions(ctx.store, callerOf(request), request.params.iTwinId) }),
  });
}
