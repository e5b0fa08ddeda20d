import { addOwner } from '../../../domain/access-control/add-owner.js';
import { presentInvitation, presentOwner } from '../../presenters/access-control.js';
import { OwnerAdd, OwnerAdded } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function addITwinOwnerMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.addITwinOwnerMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Add iTwin owner member',
      description: 'Only owners may. An address nobody has authenticated with is invited as owner.',
      tags: ['Access Control'],
      params: ITwinParams,
      body: OwnerAdd,
      response: { 201: OwnerAdded, ...errorResponses(401, 403, 404, 406, 409, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const added = await addOwner(ctx.store, callerOf(request), request.params.iTwinId, request.body);
      return reply.status(201).send({
        member: added.member && presentOwner(added.member),
        invitation: added.invitation && presentInvitation(added.invitation),
      });
    },
  });
}
