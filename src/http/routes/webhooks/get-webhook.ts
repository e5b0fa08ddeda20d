import { getWebhook } from '../../../domain/webhooks/get-webhook.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentWebhook } from '../../presenters/webhook.js';
import { errorResponses } from '../../schemas/common.js';
import { WebhookParams, WebhookResponse } from '../../schemas/webhook.js';

export function getWebhookRoute(app: App, ctx: AppContext): void {
  const operation = operations.getWebhook;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Get webhook',
      description: "One of the caller's webhooks (without its secret).",
      tags: ['Webhooks'],
      params: WebhookParams,
      response: { 200: WebhookResponse, ...errorResponses(401, 404, 406, 429) },
    },
    handler: async (request) => ({ webhook: presentWebhook(await getWebhook(ctx.store, callerOf(request), request.params.webhookId)) }),
  });
}
