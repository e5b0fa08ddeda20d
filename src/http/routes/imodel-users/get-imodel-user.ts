import { getIModelUser } from '../../../domain/imodels/imodel-users.js';
import { canonicalGuid, isGuid } from '../../../domain/ids.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentUser } from '../../presenters/version.js';
import { errorResponses } from '../../schemas/common.js';
import { UserParams, UserResponse } from '../../schemas/version.js';

export function getIModelUserRoute(app: App, ctx: AppContext): void {
  const operation = operations.getIModelUser;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get iModel User',
      description: "A user of the iModel (a creator's link): known by the subject of their tokens only.",
      tags: ['Users'],
      params: UserParams,
      response: { 200: UserResponse, ...errorResponses(401, 403, 404, 406, 429) },
    },
    handler: async (request) => {
      const { iModelId, userId } = request.params;
      const user = await getIModelUser(ctx.store, callerOf(request), iModelId, userId);
      return { user: presentUser(ctx.config.publicUrl, isGuid(iModelId) ? canonicalGuid(iModelId) : iModelId, user) };
    },
  });
}
