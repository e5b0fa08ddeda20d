import { getChangeset } from '../../../domain/versions/get-changeset.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentChangeset } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { ChangesetParams, ChangesetResponse } from '../../schemas/version.js';

export function getChangesetRoute(app: App, ctx: AppContext): void {
  const operation = operations.getChangeset;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModel Changeset',
      description: 'One changeset, by id (40 hexadecimal digits) or index (from 1).',
      tags: ['Changesets'],
      params: ChangesetParams,
      response: { 200: ChangesetResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => {
      const { changeset, namedVersion } = await getChangeset(ctx.store, callerOf(request), request.params.iModelId, request.params.changeset);
      return { changeset: presentChangeset(ctx.config.publicUrl, changeset, namedVersion) };
    },
  });
}
