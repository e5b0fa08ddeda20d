import { getUsersByIds } from '../../../domain/users/lookups.js';
import { presentUser } from '../../presenters/user.js';
import { UserIdList, UserList } from '../../schemas/user.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function getUsersByIdListRoute(app: App, ctx: AppContext): void {
  const operation = operations.getUsersByIdList;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get users by id list',
      description: 'Users the service has seen among the ids given; unknown ids are left out.',
      tags: ['Users'],
      body: UserIdList,
      response: { 200: UserList, ...errorResponses(401, 403, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => ({ users: (await getUsersByIds(ctx.store, callerOf(request), request.body)).map(presentUser) }),
  });
}
