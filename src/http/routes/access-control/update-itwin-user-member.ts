import { updateUserMember } from '../../../domain/access-control/update-user-member.js';
import { presentUserMember } from '../../presenters/access-control.js';
import { MemberRolesUpdate, UserMemberResponse } from '../../schemas/access-control.js';
import { MemberParams } from '../../schemas/member.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function updateITwinUserMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateITwinUserMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update iTwin user member',
      description: "Replaces the member's roles (and so its permissions).",
      tags: ['Access Control'],
      params: MemberParams,
      body: MemberRolesUpdate,
      response: { 200: UserMemberResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => ({
      member: presentUserMember(await updateUserMember(ctx.store, callerOf(request), request.params.iTwinId, request.params.memberId, request.body)),
    }),
  });
}
