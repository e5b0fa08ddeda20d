import { getITwin } from '../../../domain/itwins/get-itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { presentITwin } from '../../presenters/itwin.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinParams, ITwinResponse } from '../../schemas/itwin.js';

export function getITwinRoute(app: App, ctx: AppContext): void {
  const operation = operations.getITwin;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iTwin',
      description: 'The whole iTwin (a single GET is always the full representation).',
      tags: ['iTwins'],
      params: ITwinParams,
      response: { 200: ITwinResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request, reply) => {
      const itwin = await getITwin(ctx.store, callerOf(request), request.params.iTwinId);
      if (wantsRepresentation(request.headers.prefer)) reply.header('preference-applied', 'return=representation');
      return { iTwin: presentITwin(itwin) };
    },
  });
}
