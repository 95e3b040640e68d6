import type { WebhookDeliveryStatus, WebhookDeliveryView, WebhookEventType } from '@creditgate/contract';

/**
 * What each alert means, for the subscribe checkboxes. A `Record`: an event type added to the
 * contract fails the console's build until it is described here.
 */
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'credits.low': "A charge left a user's available credits under the low-credit threshold",
  'credits.added': 'Credits arrived: a recharge, a redeemed code or a card payment',
  'budget.threshold': "A key's or a user's spend in its period crossed 80 % or 100 % of its limit",
  'channel.down': 'An upstream channel started cooling down, or was disabled after its upstream refused it',
  'channel.up': 'An upstream channel answers again, or an admin enabled it',
};

const STATUS_LABELS: Record<WebhookDeliveryStatus, string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
};

export function deliveryStatusLabel(status: WebhookDeliveryStatus): string {
  return STATUS_LABELS[status];
}

/** Only a delivery not yet answered 2xx can be sent again (the API refuses the others). */
export function canRetry(delivery: WebhookDeliveryView): boolean {
  return delivery.status !== 'delivered';
}

/** "HTTP 500", or "no answer" when the last attempt got no status (timeout, refused); "—" before any. */
export function lastAnswerText(delivery: WebhookDeliveryView): string {
  if (delivery.lastStatusCode !== null) return `HTTP ${String(delivery.lastStatusCode)}`;
  return delivery.lastAttemptAt === null ? '—' : 'no answer';
}

/** "1 attempt", "3 attempts", "not tried yet". */
export function attemptsText(attempts: number): string {
  if (attempts === 0) return 'not tried yet';
  return attempts === 1 ? '1 attempt' : `${String(attempts)} attempts`;
}

/** The last error when it says more than `lastAnswerText` (a non-2xx answer's error is just its code). */
export function errorBesidesAnswer(delivery: WebhookDeliveryView): string | null {
  return delivery.lastError === null || delivery.lastError === lastAnswerText(delivery) ? null : delivery.lastError;
}
