import { Module } from '@nestjs/common';
import { AdminPackagesController } from '#src/billing/admin-packages.controller.js';
import { BillingController } from '#src/billing/billing.controller.js';
import { BillingRepository } from '#src/billing/billing.repository.js';
import { BillingService } from '#src/billing/billing.service.js';
import { StripeGateway } from '#src/billing/stripe-gateway.js';
import { StripeWebhookController } from '#src/billing/stripe-webhook.controller.js';
import { StripeWebhookService } from '#src/billing/stripe-webhook.service.js';

/**
 * Card top-up through Stripe Checkout (docs/top-up.md): credit packages (admins), checkout and orders
 * (users), and Stripe's webhook, which credits a paid order once.
 */
@Module({
  controllers: [AdminPackagesController, BillingController, StripeWebhookController],
  providers: [BillingRepository, BillingService, StripeGateway, StripeWebhookService],
})
export class BillingModule {}
