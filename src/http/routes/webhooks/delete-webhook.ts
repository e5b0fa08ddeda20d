import { deleteWebhook } from '../../../domain/webhooks/delete-webhook.js';
import { type App, type AppContext, fromTable } from '../../context.js';
import { operations } from '../../operations.js';
import { callerOf } from '../../plugins/authenticate.js';
import { noContent } from '../../presenters/no-content.js';
import { errorResponses } from '../../schemas/common.js';
import { WebhookParams } from '../../schemas/webhook.js';

export function deleteWebhookRoute(app: App, ctx: AppContext): void {
  const operation = operations.deleteWebhook;
  app.route({
    ...fromTable(operation),
    schema: {
      operationId: operation.id,
      summary: 'Delete webhook',
      description: 'Deletes the webhook; events not yet delivered to it are dropped.',
      tags: ['Webhooks'],
      params: WebhookParams,
      response: { 204: { type: 'null', description: 'Deleted. No body and no Content-Type.' }, ...errorResponses(401, 404, 406, 429) },
    },
    handler: async (request, reply) => {
      await deleteWebhook(ctx.store, callerOf(request), request.params.webhookId);
      return noContent(reply);
    },
  });
}
