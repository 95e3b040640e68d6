import { Injectable } from '@nestjs/common';
import Stripe from 'stripe';
import { AppConfigService, type StripeSettings } from '#src/config/app-config.service.js';
import { CHECKOUT_RETURN_PATH, type CheckoutReturn } from '#src/contract/index.js';

/** What a Checkout Session is opened for: a pending order, with what it copied from its package. */
export interface CheckoutOrder {
  id: string;
  packageName: string;
  credits: number;
  amountCents: number;
  currency: string;
}

/** Stripe's answer to a signature that does not verify (missing, forged, stale, or over other bytes). */
export class StripeSignatureError extends Error {}

/**
 * The one place that talks to Stripe, with the official client (docs/top-up.md). It only exists while
 * card top-up is on; `BillingModule` answers 404 on every /api/billing route otherwise.
 */
@Injectable()
export class StripeGateway {
  private readonly settings: StripeSettings | undefined;
  private readonly client: Stripe | undefined;
  private readonly publicUrl: string;

  constructor(config: AppConfigService) {
    this.settings = config.stripe;
    this.publicUrl = config.publicUrl;
    this.client =
      this.settings &&
      new Stripe(this.settings.secretKey, {
        ...(this.settings.apiBase ?? {}),
        // One retry, safe because every create carries the order id as its idempotency key: Stripe
        // answers a retried create with the session it already made, never a second one. Without it, a
        // connection reset right after Stripe made the session would fail an order that could be paid.
        maxNetworkRetries: 1,
        // The user waits on this call (POST /api/billing/checkout); Stripe answers in well under a second.
        timeout: 10_000,
        // No telemetry header on later calls: nothing about our calls leaves but the calls themselves.
        telemetry: false,
      });
  }

  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** A hosted Checkout page for one order: one line item, priced from the order, in payment mode. */
  async createCheckoutSession(order: CheckoutOrder): Promise<{ id: string; url: string }> {
    const returnUrl = (outcome: CheckoutReturn) =>
      `${this.publicUrl}${CHECKOUT_RETURN_PATH}?order=${order.id}&checkout=${outcome}`;
    const session = await this.stripe().checkout.sessions.create(
      {
        mode: 'payment',
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: order.currency,
              unit_amount: order.amountCents,
              product_data: {
                name: order.packageName,
                description: `${order.credits.toLocaleString('en-US')} CreditGate credits`,
              },
            },
          },
        ],
        // Both name the order; the webhook credits only when they agree (db/migrations/0015).
        client_reference_id: order.id,
        metadata: { orderId: order.id },
        success_url: returnUrl('success'),
        cancel_url: returnUrl('cancelled'),
      },
      { idempotencyKey: order.id },
    );
    if (session.url === null) throw new Error(`Stripe answered session ${session.id} without a URL`);
    return { id: session.id, url: session.url };
  }

  /**
   * The event, if `signature` (the Stripe-Signature header) signs exactly these bytes with the webhook
   * secret within Stripe's five-minute tolerance; else StripeSignatureError.
   */
  verifiedEvent(rawBody: Buffer | undefined, signature: string | undefined): Stripe.Event {
    if (rawBody === undefined || signature === undefined || signature === '') {
      throw new StripeSignatureError('a Stripe-Signature header and a JSON body are required');
    }
    try {
      return this.stripe().webhooks.constructEvent(rawBody, signature, this.secrets().webhookSecret);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new StripeSignatureError(error.message);
      }
      throw error;
    }
  }

  private stripe(): Stripe {
    if (this.client === undefined) throw new Error('card top-up is off (STRIPE_* unset)');
    return this.client;
  }

  private secrets(): StripeSettings {
    if (this.settings === undefined) throw new Error('card top-up is off (STRIPE_* unset)');
    return this.settings;
  }
}
