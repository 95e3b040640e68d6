import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfigService } from '#src/config/app-config.service.js';
import { WEBHOOK_SIGNATURE_HEADER } from '#src/contract/index.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { SecretBox } from '#src/secrets/secret-box.js';
import { type ClaimedDelivery, webhookSecretContext } from '#src/webhooks/webhook-endpoint.js';
import { signatureHeader } from '#src/webhooks/webhook-signature.js';
import { WebhooksRepository } from '#src/webhooks/webhooks.repository.js';

/** Deliveries one instance sends at once; one per endpoint, so a slow endpoint holds only its own slot. */
const MAX_IN_FLIGHT = 16;
/** A claim outlives its attempt by this much before another sender may take the delivery. */
const LEASE_MARGIN_MS = 30_000;
/** The longest wait between two attempts, however many failed. */
const MAX_RETRY_DELAY_MS = 6 * 3_600_000;

type AttemptOutcome =
  { delivered: true; statusCode: number } | { delivered: false; statusCode: number | null; error: string };

/**
 * Sends the outbox's deliveries (docs/alerts.md): every `WEBHOOK_POLL_INTERVAL_MS` it claims due ones
 * (one per endpoint; rows locked with SKIP LOCKED and leased, so several instances never send one at
 * once and a dead sender's claims come back), POSTs each signed body, and records the outcome: a 2xx
 * within `WEBHOOK_TIMEOUT_MS` is delivered; anything else is tried again after `WEBHOOK_RETRY_BASE_MS`,
 * doubling, until `WEBHOOK_RETRY_WINDOW_MS` after the event, then marked failed. At least once: a
 * receiver that answered but whose answer was not recorded (a crash) gets the event again.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly timing: AppConfigService['webhookDelivery'];
  /** Endpoint id → the attempt in flight to it. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private databaseDown = false;

  constructor(
    config: AppConfigService,
    private readonly repository: WebhooksRepository,
    private readonly secrets: SecretBox,
    private readonly metrics: MetricsService,
  ) {
    this.timing = config.webhookDelivery;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.poll(), this.timing.pollIntervalMs);
    this.timer.unref();
  }

  /** Stops claiming, and lets the attempts in flight end (each bounded by WEBHOOK_TIMEOUT_MS). */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled(this.inFlight.values());
  }

  /** Claims what is due and starts sending it; never waits for a receiver. */
  async poll(): Promise<void> {
    if (this.polling || this.timer === undefined) return;
    this.polling = true;
    try {
      const free = MAX_IN_FLIGHT - this.inFlight.size;
      if (free <= 0) return;
      const leaseMs = this.timing.timeoutMs + LEASE_MARGIN_MS;
      const claimed = await this.repository.claimDue(free, [...this.inFlight.keys()], leaseMs);
      if (this.databaseDown) this.logger.log('Webhook deliveries resumed');
      this.databaseDown = false;
      for (const delivery of claimed) {
        const attempt = this.attempt(delivery).finally(() => this.inFlight.delete(delivery.endpointId));
        this.inFlight.set(delivery.endpointId, attempt);
      }
    } catch (error) {
      // The database is away: claims wait for it; nothing is lost (the outbox is in it).
      if (!this.databaseDown) this.logger.warn({ err: error }, 'Could not claim webhook deliveries; will retry');
      this.databaseDown = true;
    } finally {
      this.polling = false;
    }
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const outcome = await this.send(delivery);
    try {
      if (outcome.delivered) {
        await this.repository.markDelivered(delivery.id, outcome.statusCode);
        this.metrics.recordWebhookAttempt(delivery.event.type, 'delivered');
        return;
      }
      const retryAt = this.retryAt(delivery);
      await this.repository.markAttemptFailed(delivery.id, { ...outcome, retryAt });
      this.metrics.recordWebhookAttempt(delivery.event.type, retryAt === null ? 'failed' : 'retry');
      if (retryAt === null) {
        this.logger.warn(
          { deliveryId: delivery.id, eventId: delivery.event.id, attempts: delivery.attempts },
          'A webhook delivery failed for good',
        );
      }
    } catch (error) {
      // Unrecorded: the lease ends and the delivery is tried again (at least once).
      this.logger.warn({ err: error, deliveryId: delivery.id }, 'Could not record a webhook attempt');
    }
  }

  private async send(delivery: ClaimedDelivery): Promise<AttemptOutcome> {
    let secret: string;
    try {
      secret = this.secrets.open(delivery.secretCiphertext, webhookSecretContext(delivery.endpointId));
    } catch {
      return { delivered: false, statusCode: null, error: 'the signing secret cannot be decrypted with SECRETS_KEY' };
    }
    const body = JSON.stringify(delivery.event);
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'CreditGate-Webhooks/1',
          [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
        },
        // A redirect is an answer, not a delivery: following it could send the event where the admin
        // never pointed it.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timing.timeoutMs),
      });
      // The receiver's words are not needed and not shown: only its status.
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { delivered: true, statusCode: response.status };
      return { delivered: false, statusCode: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        delivered: false,
        statusCode: null,
        error: timedOut
          ? `no answer within ${this.timing.timeoutMs} ms`
          : `could not connect (${networkCodeOf(error)})`,
      };
    }
  }

  /** After about WEBHOOK_RETRY_BASE_MS, doubling; null once that would pass the retry window. */
  private retryAt(delivery: ClaimedDelivery): Date | null {
    const delayMs = Math.min(this.timing.retryBaseMs * 2 ** Math.min(delivery.attempts - 1, 30), MAX_RETRY_DELAY_MS);
    const at = Date.now() + delayMs;
    return at > Date.parse(delivery.event.createdAt) + this.timing.retryWindowMs ? null : new Date(at);
  }
}

/** The network error's code (ECONNREFUSED, ENOTFOUND, …), wherever fetch wrapped it; never a message. */
function networkCodeOf(error: unknown): string {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; cause = cause.cause, depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return 'network error';
}
