/** Rows of webhooks and their outbox (migration 0011). */
export interface WebhookRow {
  id: string;
  owner_id: string;
  callback_url: string;
  secret: string;
  /** `,type1,type2,`: one LIKE finds the webhooks of an event type. */
  event_types: string;
  scope: string;
  scope_id: string | null;
  /** 0 or 1. */
  active: number;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveryRow {
  /** `<webhook id>:<message id>`. */
  id: string;
  webhook_id: string;
  message_id: string;
  event_type: string;
  itwin_id: string;
  /** The event's content, JSON. */
  content: string;
  enqueued_at: string;
  /** Pending, Delivered or Failed. */
  state: string;
  attempts: number;
  next_attempt_ms: number;
  lease_owner: string | null;
  lease_expires_ms: number;
  last_status: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
}
