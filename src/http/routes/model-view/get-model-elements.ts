import { getModelFile } from '../../../domain/model-view/get-model-file.js';
import type { ModelExports } from '../../../domain/model-view/model-exports.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { ModelElementsResponse, ModelVersionParams } from '../../schemas/model-view.js';
import { sendExported } from './send-exported.js';

export function getModelElementsRoute(app: App, exports: ModelExports): void {
  const operation = operations.getModelElements;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get the elements of a version’s model (twinsync)',
      description:
        'Every element the graphics show, by id, with its class, label, IFC GlobalId, federation GUID, category and model; not paged. ' +
        'Exported with the graphics on first request. docs/model-view.md.',
      tags: ['Model view'],
      params: ModelVersionParams,
      response: { 200: ModelElementsResponse, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request, reply) => {
      const file = await getModelFile(exports, callerOf(request), request.params.iModelId, request.params.changeset, 'elements');
      return sendExported(request, reply, file, 'application/json; charset=utf-8');
    },
  });
}
