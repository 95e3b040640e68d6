import { type CanActivate, Injectable } from '@nestjs/common';
import { BillingErrors } from '#src/billing/billing.errors.js';
import { StripeGateway } from '#src/billing/stripe-gateway.js';

/**
 * While card top-up is off (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET unset), the /api/billing routes
 * answer 404: the webhook refuses everything, signed or not, and a signed-in user learns that card
 * top-up is not offered. It runs after the global guards, so a request without a login still gets its
 * 401 first, as on every route.
 */
@Injectable()
export class CardTopUpOnGuard implements CanActivate {
  constructor(private readonly stripe: StripeGateway) {}

  canActivate(): boolean {
    if (!this.stripe.enabled) throw BillingErrors.cardTopUpOff();
    return true;
  }
}
