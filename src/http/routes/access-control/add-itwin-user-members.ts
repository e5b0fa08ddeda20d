import { addUserMembers } from '../../../domain/access-control/add-user-members.js';
import { presentInvitation, presentUserMember } from '../../presenters/access-control.js';
import { UserMembersAdd, UserMembersAdded } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function addITwinUserMembersRoute(app: App, ctx: AppContext): void {
  const operation = operations.addITwinUserMembers;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Add iTwin user members',
      description: 'Adds users by e-mail address, with roles; an address nobody has authenticated with is invited instead. All or nothing.',
      tags: ['Access Control'],
      params: ITwinParams,
      body: UserMembersAdd,
      response: { 201: UserMembersAdded, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const added = await addUserMembers(ctx.store, callerOf(request), request.params.iTwinId, request.body);
      return reply.status(201).send({ members: added.members.map(presentUserMember), invitations: added.invitations.map(presentInvitation) });
    },
  });
}
