import { getNamedVersion } from '../../../domain/versions/get-named-version.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentNamedVersion } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { NamedVersionParams, NamedVersionResponse } from '../../schemas/version.js';

export function getNamedVersionRoute(app: App, ctx: AppContext): void {
  const operation = operations.getNamedVersion;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModel Named Version',
      tags: ['Named Versions'],
      params: NamedVersionParams,
      response: { 200: NamedVersionResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => ({
      namedVersion: presentNamedVersion(
        ctx.config.publicUrl,
        await getNamedVersion(ctx.store, callerOf(request), request.params.iModelId, request.params.namedVersionId),
      ),
    }),
  });
}
