import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';

/** The billing module's refusals, each with its contract code. */
export const BillingErrors = {
  /** Every /api/billing route while STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are unset. */
  cardTopUpOff: (): AppError => new AppError(ErrorCode.NotFound, 'Card top-up is not enabled on this server.'),
  noSuchPackage: (): AppError => new AppError(ErrorCode.NotFound, 'No such credit package.'),
  notAdmin: (): AppError => new AppError(ErrorCode.Forbidden, 'Only an admin can manage credit packages.'),
  invalidPackage: (): AppError =>
    new AppError(
      ErrorCode.ValidationFailed,
      'The package is not valid: a name, credits 1–1,000,000, a price of 1–99,999,999 and a currency.',
    ),
  badSignature: (): AppError =>
    new AppError(ErrorCode.ValidationFailed, 'The Stripe-Signature header does not verify this event.'),
  checkoutUnavailable: (): AppError =>
    new AppError(
      ErrorCode.ServiceUnavailable,
      'Stripe did not open a checkout for this order; nothing was charged. Try again shortly.',
    ),
};

/**
 * The one place where the billing functions' SQLSTATEs (db/migrations/0015) become contract errors.
 * Undefined: not a refusal of theirs, so the caller rethrows the error as it is.
 */
export function billingErrorFor(error: unknown): AppError | undefined {
  switch (sqlStateOf(error)) {
    case SqlState.InsufficientPrivilege:
      return BillingErrors.notAdmin();
    case SqlState.NoDataFound:
      return BillingErrors.noSuchPackage();
    case SqlState.CheckViolation:
      return BillingErrors.invalidPackage();
    default:
      return undefined;
  }
}
