import { listWebhooks } from '../../../domain/webhooks/list-webhooks.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentWebhook } from '../../presenters/webhook.js';
import { errorResponses } from '../../schemas/common.js';
import { WebhookList, WebhookListQuery } from '../../schemas/webhook.js';

export function getWebhooksRoute(app: App, ctx: AppContext): void {
  const operation = operations.getWebhooks;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get webhooks',
      description: "The caller's webhooks, oldest first.",
      tags: ['Webhooks'],
      querystring: WebhookListQuery,
      response: { 200: WebhookList, ...errorResponses(401, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listWebhooks(ctx.store, callerOf(request), request.query as Record<string, unknown>);
      return {
        webhooks: list.items.map((w) => presentWebhook(w)),
        _links: collectionLinks(`${ctx.config.publicUrl}/webhooks`, {}, list),
      };
    },
  });
}
