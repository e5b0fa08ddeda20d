import { deleteITwin } from '../../../domain/itwins/delete-itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinParams } from '../../schemas/itwin.js';

export function deleteITwinRoute(app: App, ctx: AppContext): void {
  const operation = operations.deleteITwin;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete iTwin',
      description: 'Deletes the iTwin with its members, folders and files; refused (409) while it holds iModels.',
      tags: ['iTwins'],
      params: ITwinParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 403, 404, 406, 409, 429) },
    },
    handler: async (request, reply) => {
      await deleteITwin(ctx.store, ctx.blobs, callerOf(request), request.params.iTwinId);
      return noContent(reply);
    },
  });
}
