import { allPermissions } from '../../../domain/access-control/get-permissions.js';
import { PermissionList } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';

export function getAllPermissionsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getAllPermissions;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get all permissions',
      tags: ['Access Control'],
      response: { 200: PermissionList, ...errorResponses(401, 403, 406, 429) },
    },
    handler: async () => ({ permissions: allPermissions() }),
  });
}
