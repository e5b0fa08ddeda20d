import { getModelFile } from '../../../domain/model-view/get-model-file.js';
import type { ModelExports } from '../../../domain/model-view/model-exports.js';
import { type App, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { errorResponses } from '../../schemas/common.js';
import { ModelVersionParams } from '../../schemas/model-view.js';
import { sendExported } from './send-exported.js';

export function getModelGraphicsRoute(app: App, exports: ModelExports): void {
  const operation = operations.getModelGraphics;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get the graphics of a version’s model (twinsync)',
      description:
        'The 3D graphics of the changeset’s checkpoint as binary glTF 2.0 (model/gltf-binary): one node per element, named by its id and ' +
        'carrying it as `extras.elementId`; metres, Y up, offset by the project extents’ centre (`asset.extras.offset`). Exported by ' +
        'iTwin.js on first request (seconds), then served from the blob store; ETag and If-None-Match (304). docs/model-view.md.',
      tags: ['Model view'],
      params: ModelVersionParams,
      response: {
        200: { description: 'The .glb (model/gltf-binary).' },
        206: { description: 'The range asked for.' },
        304: { description: 'Not modified (If-None-Match): the content is the one the client has.' },
        ...errorResponses(401, 403, 404, 409, 429),
        500: { description: 'The export failed (ModelExportFailed); the server’s log says why.' },
        501: { description: 'This server cannot export models: iTwin.js is not installed (ModelExportUnavailable).' },
      },
    },
    handler: async (request, reply) => {
      const file = await getModelFile(exports, callerOf(request), request.params.iModelId, request.params.changeset, 'graphics');
      return sendExported(request, reply, file, 'model/gltf-binary');
    },
  });
}
