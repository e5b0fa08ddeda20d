import { getMe } from '../../../domain/users/lookups.js';
import { presentUser } from '../../presenters/user.js';
import { UserResponse } from '../../schemas/user.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';

export function getMeRoute(app: App, ctx: AppContext): void {
  const operation = operations.getMe;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get me',
      tags: ['Users'],
      response: { 200: UserResponse, ...errorResponses(401, 403, 406, 429) },
    },
    handler: async (request) => ({ user: presentUser(await getMe(ctx.store, callerOf(request))) }),
  });
}
