import { getComparison } from '../../../domain/changed-elements/get-comparison.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { ComparisonQuery, ComparisonResponse } from '../../schemas/changed-elements.js';
import { errorResponses } from '../../schemas/common.js';

export function getComparisonRoute(app: App, ctx: AppContext): void {
  const operation = operations.getComparison;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get Comparison',
      description:
        'The elements that changed from the start changeset to the end one, both included, one entry per element as if the range were one changeset. ' +
        'Every changeset of the range must be processed (see Get Changesets).',
      tags: ['Changed Elements'],
      querystring: ComparisonQuery,
      response: { 200: ComparisonResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => ({
      changedElements: await getComparison(ctx.store, ctx.blobs, callerOf(request), request.query as Record<string, unknown>),
    }),
  });
}
