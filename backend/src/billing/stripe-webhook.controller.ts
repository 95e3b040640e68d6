import { Controller, Headers, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CardTopUpOnGuard } from '#src/billing/card-top-up.guard.js';
import { type StripeWebhookAnswer, StripeWebhookService } from '#src/billing/stripe-webhook.service.js';
import { Public } from '#src/common/auth.decorators.js';
import { signedBodyOf } from '#src/common/json-body.js';

/**
 * Where Stripe delivers events (docs/top-up.md). No login and no rate limit: Stripe is the caller, and
 * the signature over the raw body is the authentication. A verified event answers 200 whatever it did
 * (so Stripe stops retrying it); only a failure to store it answers 5xx, and Stripe then retries.
 */
@ApiTags('billing')
@Controller('api/billing/stripe')
@UseGuards(CardTopUpOnGuard)
@Public()
export class StripeWebhookController {
  constructor(private readonly webhook: StripeWebhookService) {}

  @Post('webhook')
  @HttpCode(HttpStatus.OK)
  receive(
    @Req() request: FastifyRequest,
    @Headers('stripe-signature') signature?: string,
  ): Promise<StripeWebhookAnswer> {
    return this.webhook.receive(signedBodyOf(request), signature);
  }
}
