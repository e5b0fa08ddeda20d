import { updateGroupMember } from '../../../domain/groups/update-group-member.js';
import { presentGroupMember } from '../../presenters/access-control.js';
import { GroupMemberResponse, GroupParams, MemberRolesUpdate } from '../../schemas/access-control.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function updateITwinGroupMemberRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateITwinGroupMember;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update iTwin group member',
      description: 'Replaces the roles the group holds (and so its users’ permissions).',
      tags: ['Access Control'],
      params: GroupParams,
      body: MemberRolesUpdate,
      response: { 200: GroupMemberResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => ({
      member: presentGroupMember(await updateGroupMember(ctx.store, callerOf(request), request.params.iTwinId, request.params.groupId, request.body)),
    }),
  });
}
