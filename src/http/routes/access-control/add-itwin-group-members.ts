import { addGroupMembers } from '../../../domain/groups/add-group-members.js';
import { presentGroupMember } from '../../presenters/access-control.js';
import { GroupMembersAdd, GroupMembersAdded } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function addITwinGroupMembersRoute(app: App, ctx: AppContext): void {
  const operation = operations.addITwinGroupMembers;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Add iTwin group members',
      description: 'Makes groups members holding roles; their users get the roles’ permissions. All or nothing.',
      tags: ['Access Control'],
      params: ITwinParams,
      body: GroupMembersAdd,
      response: { 201: GroupMembersAdded, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const members = await addGroupMembers(ctx.store, callerOf(request), request.params.iTwinId, request.body);
      return reply.status(201).send({ members: members.map(presentGroupMember) });
    },
  });
}
