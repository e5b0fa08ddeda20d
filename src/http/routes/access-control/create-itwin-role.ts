import { createRole } from '../../../domain/access-control/create-role.js';
import { presentRole } from '../../presenters/access-control.js';
import { RoleCreate, RoleResponse } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function createITwinRoleRoute(app: App, ctx: AppContext): void {
  const operation = operations.createITwinRole;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create iTwin role',
      tags: ['Access Control'],
      params: ITwinParams,
      body: RoleCreate,
      response: { 201: RoleResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const role = await createRole(ctx.store, callerOf(request), request.params.iTwinId, request.body);
      return reply.status(201).send({ role: presentRole(role) });
    },
  });
}
