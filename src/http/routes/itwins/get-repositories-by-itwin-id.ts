import { listRepositories } from '../../../domain/itwins/repositories/list-repositories.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentRepositories } from '../../presenters/itwin-repository.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinParams, RepositoryList, RepositoryListQuery } from '../../schemas/itwin.js';

export function getRepositoriesRoute(app: App, ctx: AppContext): void {
  const operation = operations.getRepositories;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get repositories by iTwin id',
      description:
        "The iTwin's repositories: generated ones for its data (iModels when it has any, Storage when it holds a file), then registered ones, oldest first. " +
        'Filtered by class and subClass (subClass needs class).',
      tags: ['iTwins'],
      params: ITwinParams,
      querystring: RepositoryListQuery,
      response: { 200: RepositoryList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listRepositories(ctx.store, callerOf(request), request.params.iTwinId, request.query as Record<string, unknown>);
      return { repositories: presentRepositories(ctx.config.publicUrl, list) };
    },
  });
}
