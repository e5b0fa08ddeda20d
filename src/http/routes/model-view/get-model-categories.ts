import { getModelFile } from '../../../domain/model-view/get-model-file.js';
import type { ModelExports } from '../../../domain/model-view/model-exports.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { ModelCategoriesResponse, ModelVersionParams } from '../../schemas/model-view.js';
import { sendExported } from './send-exported.js';

export function getModelCategoriesRoute(app: App, exports: ModelExports): void {
  const operation = operations.getModelCategories;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get the categories of a version’s model (twinsync)',
      description:
        'The categories of the elements the graphics show, by name, with how many elements each holds; `spaces: true` marks the ' +
        'category of spaces (rooms), which a viewer hides by default. docs/model-view.md.',
      tags: ['Model view'],
      params: ModelVersionParams,
      response: { 200: ModelCategoriesResponse, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request, reply) => {
      const file = await getModelFile(exports, callerOf(request), request.params.iModelId, request.params.changeset, 'categories');
      return sendExported(request, reply, file, 'application/json; charset=utf-8');
    },
  });
}
