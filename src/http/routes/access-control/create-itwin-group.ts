import { createGroup } from '../../../domain/groups/create-group.js';
import { presentGroup } from '../../presenters/access-control.js';
import { GroupCreate, GroupResponse } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function createITwinGroupRoute(app: App, ctx: AppContext): void {
  const operation = operations.createITwinGroup;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create iTwin group',
      description: 'A new group without users; an update gives it users and IMS groups.',
      tags: ['Access Control'],
      params: ITwinParams,
      body: GroupCreate,
      response: { 201: GroupResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const group = await createGroup(ctx.store, callerOf(request), request.params.iTwinId, request.body);
      return reply.status(201).send({ group: presentGroup(group) });
    },
  });
}
