import { getModelElement } from '../../../domain/model-view/get-model-element.js';
import type { ModelExports } from '../../../domain/model-view/model-exports.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { ModelElementParams, ModelElementResponse } from '../../schemas/model-view.js';
import { sendExported } from './send-exported.js';

export function getModelElementRoute(app: App, exports: ModelExports): void {
  const operation = operations.getModelElement;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get one element of a version’s model (twinsync)',
      description:
        'An element of the graphics with its class, identity, properties grouped by property set (IFC attributes, property and ' +
        'quantity sets, with units), its aspects (IFC materials, classifications) and its type’s properties. docs/model-view.md.',
      tags: ['Model view'],
      params: ModelElementParams,
      response: { 200: ModelElementResponse, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request, reply) => {
      const { iModelId, changeset, elementId } = request.params;
      const file = await getModelElement(exports, callerOf(request), iModelId, changeset, elementId);
      return sendExported(request, reply, file, 'application/json; charset=utf-8');
    },
  });
}
