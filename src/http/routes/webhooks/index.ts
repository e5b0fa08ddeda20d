import type { App, AppContext } from '../../context.js';
import { createWebhookRoute } from './create-webhook.js';
import { deleteWebhookRoute } from './delete-webhook.js';
import { getWebhookDeliveriesRoute } from './get-webhook-deliveries.js';
import { getWebhookRoute } from './get-webhook.js';
import { getWebhooksRoute } from './get-webhooks.js';
import { updateWebhookRoute } from './update-webhook.js';

/** The Webhooks API: subscriptions of a caller to events, and their deliveries. */
export function webhookRoutes(app: App, ctx: AppContext): void {
  createWebhookRoute(app, ctx);
  getWebhooksRoute(app, ctx);
  getWebhookRoute(app, ctx);
  updateWebhookRoute(app, ctx);
  deleteWebhookRoute(app, ctx);
  getWebhookDeliveriesRoute(app, ctx);
}
