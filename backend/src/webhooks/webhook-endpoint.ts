import type { WebhookEventBody, WebhookEventType } from '#src/contract/index.js';

/** The context an endpoint's secret is sealed under: it opens only on its own row. */
export const webhookSecretContext = (endpointId: string): string => `webhook:${endpointId}:secret`;

export interface WebhookEndpointRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  secret_ciphertext: string;
  description: string | null;
  created_at: Date;
  pending: string;
  delivered: string;
  failed: string;
}

/** One delivery a dispatcher claimed: what to send, where, and with which secret. */
export interface ClaimedDelivery {
  id: string;
  attempts: number;
  endpointId: string;
  url: string;
  secretCiphertext: string;
  event: WebhookEventBody;
}
