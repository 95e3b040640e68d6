import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { BillingErrors } from '#src/billing/billing.errors.js';
import { BillingRepository, type StripeEventOutcome } from '#src/billing/billing.repository.js';
import { StripeGateway, StripeSignatureError } from '#src/billing/stripe-gateway.js';

/** The webhook's answer: Stripe only reads the status; the rest helps whoever reads its delivery log. */
export interface StripeWebhookAnswer {
  received: true;
  outcome: StripeEventOutcome;
  /** The event had been received before: nothing was done again. */
  replayed: boolean;
}

/** The Checkout Session an event is about, if it is about one. */
function sessionOf(event: Stripe.Event): Stripe.Checkout.Session | undefined {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.expired':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
      return event.data.object;
    default:
      return undefined;
  }
}

/**
 * Stripe's events (docs/top-up.md): the signature verified over the raw body first, then every
 * verified event stored and acted on by one SQL function, so that storing, crediting and refusing a
 * replay are one transaction.
 */
@Injectable()
export class StripeWebhookService {
  private readonly logger = new Logger(StripeWebhookService.name);

  constructor(
    private readonly stripe: StripeGateway,
    private readonly repository: BillingRepository,
  ) {}

  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<StripeWebhookAnswer> {
    let event: Stripe.Event;
    try {
      event = this.stripe.verifiedEvent(rawBody, signature);
    } catch (error) {
      if (!(error instanceof StripeSignatureError)) throw error;
      // Nothing of it is stored: an unverified body is anyone's. The reason is Stripe's own wording.
      this.logger.warn(`Refused a Stripe webhook whose signature does not verify: ${error.message}`);
      throw BillingErrors.badSignature();
    }
    const session = sessionOf(event);
    const { outcome, replayed } = await this.repository.recordEvent({
      id: event.id,
      type: event.type,
      livemode: event.livemode,
      payload: rawBody?.toString('utf8') ?? '',
      sessionId: session?.id ?? null,
      clientReferenceId: session?.client_reference_id ?? null,
      metadataOrderId: session?.metadata?.['orderId'] ?? null,
      paymentStatus: session?.payment_status ?? null,
      amountTotal: session?.amount_total ?? null,
      currency: session?.currency ?? null,
    });
    if (!replayed && !['credited', 'order_expired', 'order_failed', 'not_paid', 'ignored'].includes(outcome)) {
      // A paid session that credits nothing needs a person: refund it, or find the order.
      this.logger.warn(
        `Stripe event ${event.id} (${event.type}, session ${session?.id ?? '-'}) credited nothing: ${outcome}`,
      );
    }
    return { received: true, outcome, replayed };
  }
}
