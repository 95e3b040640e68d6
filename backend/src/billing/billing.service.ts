import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import Stripe from 'stripe';
import { BillingErrors, billingErrorFor } from '#src/billing/billing.errors.js';
import { type CreditPackageRow, BillingRepository, type PaymentOrderRow } from '#src/billing/billing.repository.js';
import type { CreateCreditPackageDto, UpdateCreditPackageDto } from '#src/billing/dto/billing.dto.js';
import { StripeGateway } from '#src/billing/stripe-gateway.js';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, type PageQueryDto, toPage } from '#src/common/pagination.js';
import type {
  AdminCreditPackageView,
  CheckoutResponse,
  CreditPackageView,
  ListResponse,
  PaymentOrderView,
} from '#src/contract/index.js';

const toPackageView = (row: CreditPackageRow): CreditPackageView => ({
  id: row.id,
  name: row.name,
  credits: Number(row.credits),
  priceCents: Number(row.price_cents),
  currency: row.currency,
});

const toAdminPackageView = (row: CreditPackageRow): AdminCreditPackageView => ({
  ...toPackageView(row),
  active: row.active,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const toOrderView = (row: PaymentOrderRow): PaymentOrderView => ({
  id: row.id,
  packageId: row.package_id,
  packageName: row.package_name,
  credits: Number(row.credits),
  amountCents: Number(row.amount_cents),
  currency: row.currency,
  status: row.status,
  createdAt: row.created_at.toISOString(),
  paidAt: row.paid_at?.toISOString() ?? null,
});

/** What may be said of a failed Stripe call in a log line or an order: its kind, never its message. */
function describeStripeFailure(error: unknown): string {
  if (error instanceof Stripe.errors.StripeError) {
    return [error.type, error.statusCode, error.code].filter((part) => part !== undefined).join(' ');
  }
  return error instanceof Error ? error.name : 'unknown error';
}

/** Credit packages, card checkouts and the user's orders (docs/top-up.md). */
@Injectable()
export class BillingService {
  private readonly logger = new Logger(BillingService.name);

  constructor(
    private readonly repository: BillingRepository,
    private readonly stripe: StripeGateway,
  ) {}

  async adminPackages(): Promise<ListResponse<AdminCreditPackageView>> {
    const rows = await this.repository.packages({ activeOnly: false });
    return { items: rows.map(toAdminPackageView), nextCursor: null };
  }

  async createPackage(adminToken: string, request: CreateCreditPackageDto): Promise<AdminCreditPackageView> {
    const row = await this.guarded(() =>
      this.repository.createPackage(adminToken, {
        id: randomUUID(),
        name: request.name,
        credits: request.credits,
        priceCents: request.priceCents,
        currency: request.currency.toLowerCase(),
      }),
    );
    return toAdminPackageView(row);
  }

  async updatePackage(adminToken: string, id: string, change: UpdateCreditPackageDto): Promise<AdminCreditPackageView> {
    const row = await this.guarded(() =>
      this.repository.updatePackage(adminToken, id, {
        name: change.name,
        credits: change.credits,
        priceCents: change.priceCents,
        currency: change.currency?.toLowerCase(),
        active: change.active,
      }),
    );
    return toAdminPackageView(row);
  }

  /** Archives: not offered any more, still named by the orders made for it. */
  archivePackage(adminToken: string, id: string): Promise<AdminCreditPackageView> {
    return this.updatePackage(adminToken, id, { active: false });
  }

  async packages(): Promise<ListResponse<CreditPackageView>> {
    const rows = await this.repository.packages({ activeOnly: true });
    return { items: rows.map(toPackageView), nextCursor: null };
  }

  /**
   * A pending order (its credits, amount and currency copied from the package by the database) and a
   * Checkout Session for exactly that amount. Nothing is credited here: only the webhook credits, once
   * Stripe says the session was paid.
   */
  async checkout(userId: string, packageId: string): Promise<CheckoutResponse> {
    const order = await this.guarded(() => this.repository.createOrder(userId, packageId));
    let session: { id: string; url: string };
    try {
      session = await this.stripe.createCheckoutSession({
        id: order.id,
        packageName: order.package_name,
        credits: Number(order.credits),
        amountCents: Number(order.amount_cents),
        currency: order.currency,
      });
    } catch (error) {
      const failure = describeStripeFailure(error);
      this.logger.warn(`Stripe did not open a Checkout Session for order ${order.id}: ${failure}`);
      await this.repository.failOrder(order.id, `Stripe did not open a Checkout Session: ${failure}`);
      throw BillingErrors.checkoutUnavailable();
    }
    if (!(await this.repository.attachSession(order.id, session.id))) {
      throw new Error(`order ${order.id} was no longer waiting for its Checkout Session`);
    }
    return { orderId: order.id, url: session.url };
  }

  async orders(userId: string, query: PageQueryDto): Promise<ListResponse<PaymentOrderView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, { createdAt: CursorField.Timestamp, id: CursorField.Uuid });
    const rows = await this.repository.ordersOf(userId, {
      limit: limit + 1,
      ...(after === undefined ? {} : { after }),
    });
    return toPage(rows, limit, toOrderView, (row) => ({ createdAt: row.cursor_at, id: row.id }));
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw billingErrorFor(error) ?? error;
    }
  }
}
