import { parseITwinChange } from '../../../domain/itwins/itwin-body.js';
import { updateITwin } from '../../../domain/itwins/update-itwin.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentITwin } from '../../presenters/itwin.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinParams, ITwinResponse, ITwinUpdate } from '../../schemas/itwin.js';
import { domainChecksBody } from '../../validation.js';

export function updateITwinRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateITwin;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update iTwin',
      description:
        'Changes the properties given (display name, type, number, status, location, time zone); absent ones stay as they are, null clears an optional one. ' +
        'class, subClass, parentId and dataCenterLocation are fixed at creation (422).',
      tags: ['iTwins'],
      params: ITwinParams,
      body: ITwinUpdate,
      response: { 200: ITwinResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const change = parseITwinChange(request.body);
      return { iTwin: presentITwin(await updateITwin(ctx.store, callerOf(request), request.params.iTwinId, change)) };
    },
  });
}
