import { Injectable } from '@nestjs/common';
import type { PaymentOrderStatus } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';

export interface CreditPackageRow {
  id: string;
  name: string;
  credits: string;
  price_cents: string;
  currency: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface PaymentOrderRow {
  id: string;
  user_id: string;
  package_id: string;
  package_name: string;
  credits: string;
  amount_cents: string;
  currency: string;
  status: PaymentOrderStatus;
  created_at: Date;
  paid_at: Date | null;
  cursor_at: string;
}

/** What `record_stripe_event` is told about a verified event (db/migrations/0015). */
export interface ReceivedStripeEvent {
  id: string;
  type: string;
  livemode: boolean;
  payload: string;
  sessionId: string | null;
  clientReferenceId: string | null;
  metadataOrderId: string | null;
  paymentStatus: string | null;
  amountTotal: number | null;
  currency: string | null;
}

export type StripeEventOutcome =
  | 'credited'
  | 'order_expired'
  | 'order_failed'
  | 'already_paid'
  | 'order_not_pending'
  | 'unmatched'
  | 'amount_mismatch'
  | 'currency_mismatch'
  | 'not_paid'
  | 'ignored';

const ORDER_COLUMNS = `o.id, o.user_id, o.package_id, o.package_name, o.credits, o.amount_cents, o.currency, o.status,
  o.created_at, o.paid_at, to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`;

/**
 * Credit packages, payment orders and Stripe events (db/migrations/0015). The runtime role only reads
 * these tables; every change is a function: packages through the admin functions (token verified,
 * audited), orders and events through the functions that copy, attach and credit.
 */
@Injectable()
export class BillingRepository {
  constructor(private readonly db: Database) {}

  packages(options: { activeOnly: boolean }): Promise<CreditPackageRow[]> {
    return this.db.rows<CreditPackageRow>(
      `SELECT id, name, credits, price_cents, currency, active, created_at, updated_at FROM credit_packages
        WHERE active OR NOT $1::boolean
        ORDER BY active DESC, currency, price_cents, created_at, id`,
      [options.activeOnly],
    );
  }

  async createPackage(
    adminToken: string,
    pkg: { id: string; name: string; credits: number; priceCents: number; currency: string },
  ): Promise<CreditPackageRow> {
    const row = await this.db.first<CreditPackageRow>(
      `SELECT * FROM admin_create_credit_package($1::text, $2::uuid, $3::text, $4::bigint, $5::bigint, $6::text)`,
      [adminToken, pkg.id, pkg.name, pkg.credits, pkg.priceCents, pkg.currency],
    );
    if (!row) throw new Error('admin_create_credit_package answered no row');
    return row;
  }

  /** NULL fields stay as they are. */
  async updatePackage(
    adminToken: string,
    id: string,
    change: { name?: string; credits?: number; priceCents?: number; currency?: string; active?: boolean },
  ): Promise<CreditPackageRow> {
    const row = await this.db.first<CreditPackageRow>(
      `SELECT * FROM admin_update_credit_package(p_actor_token => $1::text, p_id => $2::uuid, p_name => $3::text,
              p_credits => $4::bigint, p_price_cents => $5::bigint, p_currency => $6::text, p_active => $7::boolean)`,
      [
        adminToken,
        id,
        change.name ?? null,
        change.credits ?? null,
        change.priceCents ?? null,
        change.currency ?? null,
        change.active ?? null,
      ],
    );
    if (!row) throw new Error('admin_update_credit_package answered no row');
    return row;
  }

  /** A pending order for an active package, its credits, amount and currency copied by the database. */
  async createOrder(userId: string, packageId: string): Promise<PaymentOrderRow> {
    const row = await this.db.first<PaymentOrderRow>(
      `SELECT ${ORDER_COLUMNS} FROM create_payment_order($1::uuid, $2::uuid) o`,
      [userId, packageId],
    );
    if (!row) throw new Error('create_payment_order answered no row');
    return row;
  }

  async attachSession(orderId: string, sessionId: string): Promise<boolean> {
    const row = await this.db.first<{ attached: boolean }>(
      'SELECT attach_checkout_session($1::uuid, $2::text) AS attached',
      [orderId, sessionId],
    );
    return row?.attached === true;
  }

  async failOrder(orderId: string, reason: string): Promise<void> {
    await this.db.first('SELECT fail_payment_order($1::uuid, $2::text)', [orderId, reason]);
  }

  /** The user's own orders, newest first, read under row-level security. */
  ordersOf(
    userId: string,
    page: { limit: number; after?: { createdAt: string; id: string } },
  ): Promise<PaymentOrderRow[]> {
    return this.db.asUser(userId, (tx) =>
      tx.rows<PaymentOrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM payment_orders o
          WHERE o.user_id = $1::uuid
            AND ($2::timestamptz IS NULL OR (o.created_at, o.id) < ($2::timestamptz, $3::uuid))
          ORDER BY o.created_at DESC, o.id DESC LIMIT $4::integer`,
        [userId, page.after?.createdAt ?? null, page.after?.id ?? null, page.limit],
      ),
    );
  }

  /** Stores the event and acts on it in one transaction; a replay changes nothing. */
  async recordEvent(event: ReceivedStripeEvent): Promise<{ outcome: StripeEventOutcome; replayed: boolean }> {
    const row = await this.db.first<{ outcome: StripeEventOutcome; replayed: boolean }>(
      `SELECT outcome, replayed FROM record_stripe_event(
         p_event_id => $1::text, p_type => $2::text, p_livemode => $3::boolean, p_payload => $4::text,
         p_session_id => $5::text, p_client_reference_id => $6::text, p_metadata_order_id => $7::text,
         p_payment_status => $8::text, p_amount_total => $9::bigint, p_currency => $10::text)`,
      [
        event.id,
        event.type,
        event.livemode,
        event.payload,
        event.sessionId,
        event.clientReferenceId,
        event.metadataOrderId,
        event.paymentStatus,
        event.amountTotal,
        event.currency,
      ],
    );
    if (!row) throw new Error('record_stripe_event answered no row');
    return row;
  }
}
