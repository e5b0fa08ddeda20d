import { createITwin } from '../../../domain/itwins/create-itwin.js';
import { parseNewITwin } from '../../../domain/itwins/itwin-body.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { itwinUrl, presentITwin } from '../../presenters/itwin.js';
import { errorResponses } from '../../schemas/common.js';
import { ITwinCreate, ITwinResponse } from '../../schemas/itwin.js';
import { domainChecksBody } from '../../validation.js';

export function createITwinRoute(app: App, ctx: AppContext): void {
  const operation = operations.createITwin;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create iTwin',
      description: 'Creates an iTwin with its storage root folder; the caller becomes its first member.',
      tags: ['iTwins'],
      body: ITwinCreate,
      response: { 201: ITwinResponse, ...errorResponses(401, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const itwin = await createITwin(ctx.store, callerOf(request).subject, parseNewITwin(request.body));
      return reply
        .status(201)
        .header('location', itwinUrl(ctx.config.publicUrl, itwin.id))
        .send({ iTwin: presentITwin(itwin) });
    },
  });
}
