/** The alerts an endpoint can subscribe to (docs/alerts.md). */
export const WEBHOOK_EVENT_TYPES = [
  'credits.low',
  'credits.added',
  'budget.threshold',
  'channel.down',
  'channel.up',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The body every delivery POSTs; `id` is the event's, the same on every retry (receivers dedupe by it). */
export interface WebhookEventBody {
  id: string;
  type: WebhookEventType | 'webhook.test';
  createdAt: string;
  data: Record<string, unknown>;
}

/** The header that signs a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'CreditGate-Signature';

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  createdAt: string;
  /** Deliveries by status, over the endpoint's life. */
  deliveries: { pending: number; delivered: number; failed: number };
}

export interface CreateWebhookRequest {
  url: string;
  events: WebhookEventType[];
  description?: string;
}

/** `POST /api/admin/webhooks`: the signing secret, shown this once (stored encrypted). */
export interface CreatedWebhook extends WebhookEndpointView {
  secret: string;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: WebhookEventBody['type'];
  eventCreatedAt: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When it is next tried (pending only). */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** The receiver's HTTP status of the last attempt; null when it gave none (timeout, refused). */
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
}
