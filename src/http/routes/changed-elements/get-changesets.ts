import { listChangesetStatuses } from '../../../domain/changed-elements/list-changeset-statuses.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { collectionLinks } from '../../presenters/collection.js';
import { ChangesetStatusList, ChangesetStatusQuery } from '../../schemas/changed-elements.js';
import { errorResponses } from '../../schemas/common.js';

export function getChangesetsRoute(app: App, ctx: AppContext): void {
  const operation = operations.getChangedElementsChangesets;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get Changesets',
      description: "The iModel's changesets by index, each `ready` when it was processed (made while change tracking was enabled) and can be compared.",
      tags: ['Changed Elements'],
      querystring: ChangesetStatusQuery,
      response: { 200: ChangesetStatusList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listChangesetStatuses(ctx.store, callerOf(request), request.query as Record<string, unknown>);
      return {
        changesetStatus: list.items,
        _links: collectionLinks(`${ctx.config.publicUrl}/changedelements/changesets`, { iTwinId: list.iTwinId, iModelId: list.iModelId }, list),
      };
    },
  });
}
