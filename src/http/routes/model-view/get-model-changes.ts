import { getModelChanges } from '../../../domain/model-view/get-model-changes.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { ModelChangesQuery, ModelChangesResponse, ModelVersionParams } from '../../schemas/model-view.js';

export function getModelChangesRoute(app: App, ctx: AppContext): void {
  const operation = operations.getModelChanges;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get what changed in a version’s model (twinsync)',
      description:
        'The elements inserted, updated (with what changed) and deleted since an earlier changeset (`since`, default the previous one), ' +
        'from what synchronization recorded; an element of the model not listed is unchanged. No change tracking needed. docs/model-view.md.',
      tags: ['Model view'],
      params: ModelVersionParams,
      querystring: ModelChangesQuery,
      response: { 200: ModelChangesResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => ({
      changes: await getModelChanges(ctx.store, ctx.blobs, callerOf(request), request.params.iModelId, request.params.changeset, request.query),
    }),
  });
}
