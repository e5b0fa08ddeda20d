import { updateGroup } from '../../../domain/groups/update-group.js';
import { presentGroup } from '../../presenters/access-control.js';
import { GroupParams, GroupResponse, GroupUpdate } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function updateITwinGroupRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateITwinGroup;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update iTwin group',
      description:
        'Changes the name, description, users (by address, replacing them) or IMS groups; users joining or leaving gain or lose its permissions at once.',
      tags: ['Access Control'],
      params: GroupParams,
      body: GroupUpdate,
      response: { 200: GroupResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => ({
      group: presentGroup(await updateGroup(ctx.store, callerOf(request), request.params.iTwinId, request.params.groupId, request.body)),
    }),
  });
}
