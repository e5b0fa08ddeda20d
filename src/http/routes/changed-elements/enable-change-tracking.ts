import { setChangeTracking } from '../../../domain/changed-elements/set-change-tracking.js';
import { parseTrackingChange } from '../../../domain/changed-elements/tracking-body.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { TrackingChange } from '../../schemas/changed-elements.js';
import { errorResponses } from '../../schemas/common.js';
import { domainChecksBody } from '../../validation.js';

export function enableChangeTrackingRoute(app: App, ctx: AppContext): void {
  const operation = operations.enableChangeTracking;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Enable Change Tracking',
      description:
        'Enables (or, with `enable: false`, disables) change tracking of an iModel: changesets made from then on are processed and can be compared. ' +
        'Enabling an iModel already tracked changes nothing.',
      tags: ['Changed Elements'],
      body: TrackingChange,
      response: {
        202: { type: 'null', description: 'Change tracking was updated. No body and no Content-Type.' },
        ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429),
      },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      await setChangeTracking(ctx.store, callerOf(request), parseTrackingChange(request.body));
      return noContent(reply, 202);
    },
  });
}
