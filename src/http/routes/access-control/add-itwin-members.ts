import { addMembers } from '../../../domain/members/add-members.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentMember } from '../../presenters/member.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { MembersAdd, MembersResponse } from '../../schemas/member.js';
import { domainChecksBody } from '../../validation.js';

export function addITwinMembersRoute(app: App, ctx: AppContext): void {
  const operation = operations.addITwinMembers;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Add iTwin members',
      description: 'Adds users (by the `sub` of their tokens) to the iTwin; only its members may. All or nothing.',
      tags: ['Access Control'],
      params: ITwinParams,
      body: MembersAdd,
      response: { 201: MembersResponse, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const members = await addMembers(ctx.store, callerOf(request), request.params.iTwinId, request.body);
      return reply.status(201).send({ members: members.map(presentMember) });
    },
  });
}
