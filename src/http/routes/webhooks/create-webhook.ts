import { createWebhook } from '../../../domain/webhooks/create-webhook.js';
import { parseNewWebhook } from '../../../domain/webhooks/webhook-body.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { presentWebhook, webhookUrl } from '../../presenters/webhook.js';
import { errorResponses } from '../../schemas/common.js';
import { CreatedWebhookResponse, WebhookCreate } from '../../schemas/webhook.js';
import { domainChecksBody } from '../../validation.js';

export function createWebhookRoute(app: App, ctx: AppContext): void {
  const operation = operations.createWebhook;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Create webhook',
      description: 'Subscribes a callback URL to event types. Created inactive: PATCH `active: true` to start receiving events.',
      tags: ['Webhooks'],
      body: WebhookCreate,
      response: { 201: CreatedWebhookResponse, ...errorResponses(401, 403, 404, 406, 413, 415, 422, 429) },
    },
    validatorCompiler: domainChecksBody,
    handler: async (request, reply) => {
      const input = parseNewWebhook(request.body, { allowedHosts: ctx.config.events.allowedHosts });
      const webhook = await createWebhook(ctx.store, callerOf(request), input);
      return reply
        .status(201)
        .header('location', webhookUrl(ctx.config.publicUrl, webhook.id))
        .send({ webhook: { ...presentWebhook(webhook), secret: webhook.secret } });
    },
  });
}
