import { Injectable, type NestMiddleware } from '@nestjs/common';
import { BillingErrors } from '#src/billing/billing.errors.js';
import { StripeGateway } from '#src/billing/stripe-gateway.js';

/**
 * While card top-up is off (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET unset), every /api/billing route
 * answers 404, before authentication: the webhook in particular refuses everything, signed or not.
 */
@Injectable()
export class CardTopUpOffMiddleware implements NestMiddleware {
  constructor(private readonly stripe: StripeGateway) {}

  use(_request: unknown, _response: unknown, next: (error?: unknown) => void): void {
    next(this.stripe.enabled ? undefined : BillingErrors.cardTopUpOff());
  }
}
