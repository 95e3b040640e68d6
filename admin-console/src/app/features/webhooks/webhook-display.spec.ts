import type { WebhookDeliveryView } from '@creditgate/contract';
import { attemptsText, canRetry, errorBesidesAnswer, lastAnswerText } from '@app/features/webhooks/webhook-display';

const delivery = (overrides: Partial<WebhookDeliveryView>): WebhookDeliveryView => ({
  id: '1',
  eventId: '10000000-0000-4000-8000-000000000001',
  eventType: 'credits.low',
  eventCreatedAt: '2026-12-06T10:00:00.000Z',
  status: 'pending',
  attempts: 0,
  nextAttemptAt: '2026-12-06T10:00:00.000Z',
  lastAttemptAt: null,
  lastStatusCode: null,
  lastError: null,
  deliveredAt: null,
  ...overrides,
});

describe('webhook delivery display', () => {
  const tried = { attempts: 2, lastAttemptAt: '2026-12-06T10:00:05.000Z' };

  it("says what the receiver's last answer was: its status, none, or not tried yet", () => {
    expect(lastAnswerText(delivery({}))).toBe('—');
    expect(lastAnswerText(delivery({ ...tried, lastStatusCode: 503, lastError: 'HTTP 503' }))).toBe('HTTP 503');
    expect(lastAnswerText(delivery({ ...tried, lastError: 'timed out after 10000 ms' }))).toBe('no answer');
  });

  it('adds the error only when it says more than the status', () => {
    expect(errorBesidesAnswer(delivery({ ...tried, lastStatusCode: 503, lastError: 'HTTP 503' }))).toBeNull();
    expect(errorBesidesAnswer(delivery({ ...tried, lastError: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorBesidesAnswer(delivery({ ...tried, status: 'delivered', lastStatusCode: 204 }))).toBeNull();
  });

  it('counts attempts in words', () => {
    expect(attemptsText(0)).toBe('not tried yet');
    expect(attemptsText(1)).toBe('1 attempt');
    expect(attemptsText(14)).toBe('14 attempts');
  });

  it('offers a retry for pending and failed deliveries only', () => {
    expect(canRetry(delivery({ status: 'pending' }))).toBe(true);
    expect(canRetry(delivery({ status: 'failed' }))).toBe(true);
    expect(canRetry(delivery({ status: 'delivered' }))).toBe(false);
  });
});
