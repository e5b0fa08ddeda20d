import { Type } from 'typebox';
import { EVENT_TYPES } from '../../domain/webhooks/model.js';
import { CollectionLinks, PagingQuery } from './source-file.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const EventTypeSchema = Type.String({ enum: [...EVENT_TYPES], description: 'An event type (docs/webhooks.md).' });

// The properties (and their order) of Bentley's Webhooks V2 webhook.
const WebhookFields = {
  id: Type.String(),
  scope: Type.String({ enum: ['Account', 'iTwin'] }),
  scopeId: Nullable(Type.String({ description: 'The iTwin of an `iTwin` webhook.' })),
  active: Type.Boolean({ description: 'Only active webhooks are sent events. Created inactive.' }),
  callbackUrl: Type.String({ description: 'Where events are POSTed.' }),
  eventTypes: Type.Array(EventTypeSchema),
  created: Type.String({ description: 'When it was created.' }),
  modified: Type.String({ description: 'When it was last changed (its creation, until then).' }),
};

export const Webhook = Type.Object(WebhookFields);
export const CreatedWebhook = Type.Object({
  ...WebhookFields,
  secret: Type.String({ description: 'The key of the `Signature` header (HMAC-SHA256). Only in this answer.' }),
});

export const WebhookResponse = Type.Object({ webhook: Webhook });
export const CreatedWebhookResponse = Type.Object({ webhook: CreatedWebhook });
export const WebhookList = Type.Object({ webhooks: Type.Array(Webhook), _links: CollectionLinks });
export const WebhookParams = Type.Object({ webhookId: Type.String() });
export const WebhookListQuery = PagingQuery;

export const WebhookCreate = Type.Object({
  callbackUrl: Type.String({ description: 'https (http only for WEBHOOK_ALLOWED_HOSTS); a public host unless allowed.' }),
  eventTypes: Type.Array(EventTypeSchema, { minItems: 1 }),
  scope: Type.String({ enum: ['Account', 'iTwin'], description: '`Account`: every iTwin the caller is a member of; `iTwin`: the one `scopeId` names.' }),
  scopeId: Type.Optional(Type.String({ description: 'Required for `iTwin`.' })),
  secret: Type.Optional(Type.String({ description: 'At least 32 characters; one is made when absent.' })),
});

export const WebhookUpdate = Type.Object({
  callbackUrl: Type.Optional(Type.String()),
  eventTypes: Type.Optional(Type.Array(EventTypeSchema, { minItems: 1 })),
  secret: Type.Optional(Type.String({ description: 'At least 32 characters.' })),
  active: Type.Optional(Type.Boolean()),
});

export const Delivery = Type.Object({
  messageId: Type.String({ description: "The event's id: the same in every attempt; receivers deduplicate on it." }),
  eventType: Type.String(),
  iTwinId: Type.String(),
  enqueuedDateTime: Type.String(),
  state: Type.String({ enum: ['Pending', 'Delivered', 'Failed'] }),
  attempts: Type.Integer(),
  nextAttemptDateTime: Nullable(Type.String({ description: 'While Pending.' })),
  lastAttemptDateTime: Nullable(Type.String()),
  lastStatusCode: Nullable(Type.Integer({ description: "The receiver's status; null when it did not answer." })),
  lastError: Nullable(Type.String()),
  deliveredDateTime: Nullable(Type.String()),
  content: Type.Record(Type.String(), Type.Unknown()),
});

export const DeliveryList = Type.Object({ deliveries: Type.Array(Delivery), _links: CollectionLinks });
