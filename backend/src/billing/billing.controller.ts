import { Body, Controller, Get, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BillingService } from '#src/billing/billing.service.js';
import { CardTopUpOnGuard } from '#src/billing/card-top-up.guard.js';
import { CheckoutDto } from '#src/billing/dto/billing.dto.js';
import { type AuthenticatedUser, CurrentUser, RequiresLogin } from '#src/common/auth.decorators.js';
import { PageQueryDto } from '#src/common/pagination.js';
import type { CheckoutResponse, CreditPackageView, ListResponse, PaymentOrderView } from '#src/contract/index.js';

/**
 * Card top-up for users (docs/top-up.md), with a login (JWT) only. Every route answers 404 while card
 * top-up is off (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET unset).
 */
@ApiTags('billing')
@RequiresLogin()
@Controller('api/billing')
@UseGuards(CardTopUpOnGuard)
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  /** The packages on offer. */
  @Get('packages')
  packages(): Promise<ListResponse<CreditPackageView>> {
    return this.billing.packages();
  }

  /**
   * Starts a card payment: a pending order and Stripe's hosted Checkout page for it. Send the user to
   * `url`; the credits arrive when Stripe reports the payment (the order turns `paid`).
   */
  @Post('checkout')
  checkout(@CurrentUser() user: AuthenticatedUser, @Body() body: CheckoutDto): Promise<CheckoutResponse> {
    return this.billing.checkout(user.id, body.packageId);
  }

  /** The caller's orders, newest first. */
  @Get('orders')
  orders(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: PageQueryDto,
  ): Promise<ListResponse<PaymentOrderView>> {
    return this.billing.orders(user.id, query);
  }
}
