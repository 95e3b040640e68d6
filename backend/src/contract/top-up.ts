// Top-up (docs/top-up.md): redemption codes handed out by admins, and card payments through Stripe
// Checkout for credit packages. Shared by the backend and the console.

/** Every redemption code starts with this; the rest is base32 (A–Z, 2–7) in groups of four. */
export const REDEMPTION_CODE_PREFIX = 'CG-';
/** The most credits one redemption code (or one credit package) adds. */
export const TOP_UP_MAX_CREDITS = 1_000_000;
/** The most codes one batch makes. */
export const REDEMPTION_BATCH_MAX_CODES = 1000;
/** The longest note an admin keeps with a batch (never shown to the users who redeem). */
export const REDEMPTION_NOTE_MAX_CHARS = 500;
/** The highest package price, in the currency's smallest unit (Stripe's own upper bound for most currencies). */
export const PACKAGE_MAX_PRICE_MINOR_UNITS = 99_999_999;
/** ISO 4217, lower case as Stripe writes it (`usd`, `eur`); requests may send either case. */
export const CURRENCY_PATTERN = /^[A-Za-z]{3}$/;

// ---------------------------------------------------------------------------------------------
// Redemption codes

/** `POST /api/admin/redemption-codes`. */
export interface CreateRedemptionCodesRequest {
  /** Credits each code adds, 1–1,000,000. */
  credits: number;
  /** Codes in the batch, 1–1,000. */
  count: number;
  /** RFC 3339, in the future; left out, the codes never expire. */
  expiresAt?: string;
  /** For admins only (who the batch is for); 1–500 characters. */
  note: string;
}

/** The answer to creating a batch: the only time its codes are shown (they are stored as hashes). */
export interface CreatedRedemptionCodes {
  batchId: string;
  codes: string[];
}

/** A batch as listed (`GET /api/admin/redemption-codes`): never a code. */
export interface RedemptionBatchView {
  id: string;
  credits: number;
  /** Codes made. count = redeemed + unused + revoked. */
  count: number;
  redeemed: number;
  /** Neither redeemed nor revoked (expired ones included: see `expiresAt`). */
  unused: number;
  revoked: number;
  note: string;
  expiresAt: string | null;
  /** When an admin revoked the batch's unused codes; null while it stands. */
  revokedAt: string | null;
  createdAt: string;
  /** The admin who made it. */
  createdBy: { id: string; email: string };
}

/** `POST /api/credits/redeem`: case, dashes and spaces in `code` do not matter. */
export interface RedeemCodeRequest {
  code: string;
}

export interface RedeemCodeResponse {
  credited: number;
  /** The balance afterwards. */
  balance: number;
}

// ---------------------------------------------------------------------------------------------
// Card payments (Stripe Checkout)

/** `POST /api/admin/billing/packages`. */
export interface CreateCreditPackageRequest {
  name: string;
  credits: number;
  /** In the currency's smallest unit (cents; whole yen for JPY), 1–99,999,999. */
  priceCents: number;
  currency: string;
}

/** `PATCH /api/admin/billing/packages/:id`: the fields given change; `active: true` restores an archived one. */
export interface UpdateCreditPackageRequest {
  name?: string;
  credits?: number;
  priceCents?: number;
  currency?: string;
  active?: boolean;
}

/** A package as users see it (`GET /api/billing/packages`: the active ones). */
export interface CreditPackageView {
  id: string;
  name: string;
  credits: number;
  priceCents: number;
  /** Lower case, e.g. `usd`. */
  currency: string;
}

/** A package as admins see it: archived ones too. */
export interface AdminCreditPackageView extends CreditPackageView {
  /** False once archived (`DELETE`): not offered, still named by its orders. */
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** `POST /api/billing/checkout`. */
export interface CheckoutRequest {
  packageId: string;
}

/** Where to send the user: Stripe's hosted Checkout page for the new order. */
export interface CheckoutResponse {
  orderId: string;
  url: string;
}

/**
 * `pending`: Checkout started, not paid yet; `paid`: credited; `expired`: the Checkout Session
 * expired unpaid; `failed`: Stripe refused to open a session for it, or a delayed payment method failed.
 */
export const PAYMENT_ORDER_STATUSES = ['pending', 'paid', 'expired', 'failed'] as const;
export type PaymentOrderStatus = (typeof PAYMENT_ORDER_STATUSES)[number];

/** An order as its user sees it (`GET /api/billing/orders`, newest first). */
export interface PaymentOrderView {
  id: string;
  packageId: string;
  /** The package's name when the order was made. */
  packageName: string;
  credits: number;
  amountCents: number;
  currency: string;
  status: PaymentOrderStatus;
  createdAt: string;
  paidAt: string | null;
}

/**
 * Where Stripe sends the user back, under PUBLIC_URL: `${PUBLIC_URL}${CHECKOUT_RETURN_PATH}?order=<id>&checkout=<outcome>`.
 * The console's top-up page reads both parameters; the order's status is what counts (a return says nothing
 * about payment: the webhook credits).
 */
export const CHECKOUT_RETURN_PATH = '/admin/top-up';
export type CheckoutReturn = 'success' | 'cancelled';
