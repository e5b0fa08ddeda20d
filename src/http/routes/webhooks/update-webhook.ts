import { updateWebhook } from '../../../domain/webhooks/update-webhook.js';
import { parseWebhookUpdate } from '../../../domain/webhooks/webhook-body.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentWebhook } from '../../presenters/webhook.js';
import { errorResponses } from '../../schemas/common.js';
import { WebhookParams, WebhookResponse, WebhookUpdate } from '../../schemas/webhook.js';
import { domainChecksBody } from '../../validation.js';

export function updateWebhookRoute(app: App, ctx: AppContext): void {
  const operation = operations.updateWebhook;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Update webhook',
      description: 'Activates or deactivates a webhook, or changes its callback URL, event types or secret; absent properties stay as they are.',
      tags: ['Webhooks'],
      params: WebhookParams,
      body: WebhookUpdate,
      response: { 200: WebhookResponse, ...errorResponses(401, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request) => {
      const update = parseWebhookUpdate(request.body, { allowedHosts: ctx.config.events.allowedHosts });
      const webhook = await updateWebhook(ctx.store, callerOf(request), request.params.webhookId, update);
      return { webhook: presentWebhook(webhook) };
    },
  });
}
