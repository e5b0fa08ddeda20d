import { deleteRepository } from '../../../domain/itwins/repositories/delete-repository.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { RepositoryParams } from '../../schemas/itwin.js';

export function deleteRepositoryRoute(app: App, ctx: AppContext): void {
  const operation = operations.deleteRepository;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete repository',
      description: 'Removes a registered repository (generated ones cannot be: 404).',
      tags: ['iTwins'],
      params: RepositoryParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request, reply) => {
      await deleteRepository(ctx.store, callerOf(request), request.params.iTwinId, request.params.repositoryId);
      return noContent(reply);
    },
  });
}
