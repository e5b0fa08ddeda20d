import { searchUsers } from '../../../domain/users/lookups.js';
import { presentUser } from '../../presenters/user.js';
import { UserList, UserSearchQuery } from '../../schemas/user.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { errorResponses } from '../../schemas/common.js';

export function getUsersRoute(app: App, ctx: AppContext): void {
  const operation = operations.getUsers;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Search users',
      description: 'Users whose id or address contains $search (3 to 200 characters); at most 1000, no paging.',
      tags: ['Users'],
      querystring: UserSearchQuery,
      response: { 200: UserList, ...errorResponses(401, 403, 406, 422, 429) },
    },
    handler: async (request) => ({ users: (await searchUsers(ctx.store, request.query as Record<string, unknown>)).map(presentUser) }),
  });
}
