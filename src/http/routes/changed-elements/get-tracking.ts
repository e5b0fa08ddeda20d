import { getChangeTracking } from '../../../domain/changed-elements/get-change-tracking.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { TrackingQuery, TrackingResponse } from '../../schemas/changed-elements.js';
import { errorResponses } from '../../schemas/common.js';

export function getTrackingRoute(app: App, ctx: AppContext): void {
  const operation = operations.getTracking;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get Tracking',
      description: "Whether the iModel's changes are tracked.",
      tags: ['Changed Elements'],
      querystring: TrackingQuery,
      response: { 200: TrackingResponse, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: (request) => getChangeTracking(ctx.store, callerOf(request), request.query as Record<string, unknown>),
  });
}
