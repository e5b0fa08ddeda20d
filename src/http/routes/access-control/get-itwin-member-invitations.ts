import { listInvitations } from '../../../domain/access-control/get-invitations.js';
import { presentInvitation } from '../../presenters/access-control.js';
import { collectionLinks } from '../../presenters/collection.js';
import { InvitationList } from '../../schemas/access-control.js';
import { ITwinParams } from '../../schemas/itwin.js';
import { PagingQuery } from '../../schemas/source-file.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getITwinMemberInvitationsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwinMemberInvitations;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin member invitations',
      tags: ['Access Control'],
      params: ITwinParams,
      querystring: PagingQuery,
      response: { 200: InvitationList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listInvitations(ctx.store, callerOf(request), request.params.iTwinId, request.query as Record<string, unknown>);
      return {
        invitations: list.items.map(presentInvitation),
        _links: collectionLinks(`${ctx.config.publicUrl}/accesscontrol/itwins/${list.iTwinId}/members/invitations`, {}, list),
      };
    },
  });
}
