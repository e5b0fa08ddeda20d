import { listIModelUsers } from '../../../domain/imodels/imodel-users.js';
import { errors, type ErrorDetail } from '../../../domain/errors.js';
import { parsePage, toPaged } from '../../../domain/paging.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { wantsRepresentation } from '../../prefer.js';
import { collectionLinks } from '../../presenters/collection.js';
import { imodelUrl } from '../../presenters/imodel.js';
import { presentMinimalUser, presentUser } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { IModelParams } from '../../schemas/imodel.js';
import { PagingQuery } from '../../schemas/source-file.js';
import { UserList } from '../../schemas/version.js';

export function getIModelUsersRoute(app: App, ctx: AppContext): void {
  const operation = operations.getIModelUsers;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModel Users',
      description: 'Its creator and whoever pushed changesets or created named versions, by id; minimal unless `Prefer: return=representation`.',
      tags: ['Users'],
      params: IModelParams,
      querystring: PagingQuery,
      response: { 200: UserList, ...errorResponses(401, 403, 404, 406, 422, 429) },
    },
    handler: async (request, reply) => {
      const details: ErrorDetail[] = [];
      const page = parsePage(request.query as Record<string, unknown>, details);
      if (details.length > 0) throw errors.invalidIModelRequest(details);
      const { imodel, users } = await listIModelUsers(ctx.store, callerOf(request), request.params.iModelId);
      // A handful per iModel: paged here, over the whole list, with one beyond the page to decide `next`.
      const paged = toPaged(users.slice(page.skip, page.skip + page.top + 1), page);
      const full = wantsRepresentation(request.headers.prefer);
      if (full) reply.header('preference-applied', 'return=representation');
      const { publicUrl } = ctx.config;
      return {
        users: paged.items.map((u) => (full ? presentUser(publicUrl, imodel.id, u) : presentMinimalUser(publicUrl, imodel.id, u))),
        _links: collectionLinks(`${imodelUrl(publicUrl, imodel.id)}/users`, {}, paged),
      };
    },
  });
}
