import { listDeliveries } from '../../../domain/webhooks/list-deliveries.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { collectionLinks } from '../../presenters/collection.js';
import { presentDelivery, webhookUrl } from '../../presenters/webhook.js';
import { errorResponses } from '../../schemas/common.js';
import { DeliveryList, WebhookListQuery, WebhookParams } from '../../schemas/webhook.js';

export function getWebhookDeliveriesRoute(app: App, ctx: AppContext): void {
  const operation = operations.getWebhookDeliveries;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get webhook deliveries',
      description: "twinsync's own: the events queued for the webhook, newest first, with their attempts so far.",
      tags: ['Webhooks'],
      params: WebhookParams,
      querystring: WebhookListQuery,
      response: { 200: DeliveryList, ...errorResponses(401, 404, 406, 422, 429) },
    },
    handler: async (request) => {
      const list = await listDeliveries(ctx.store, callerOf(request), request.params.webhookId, request.query as Record<string, unknown>);
      return {
        deliveries: list.items.map(presentDelivery),
        _links: collectionLinks(`${webhookUrl(ctx.config.publicUrl, request.params.webhookId)}/deliveries`, {}, list),
      };
    },
  });
}
