import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';

/** The credits module's refusals, each with its contract code. */
export const CreditsErrors = {
  keyLimitReached: (): AppError =>
    new AppError(ErrorCode.InsufficientCredits, "This API key's credit limit is reached."),
  keyRevoked: (): AppError => new AppError(ErrorCode.Unauthenticated, 'The API key is invalid, expired or revoked.'),
  notAdmin: (): AppError => new AppError(ErrorCode.Forbidden, 'Only an admin can add credits.'),
  noSuchUser: (): AppError => new AppError(ErrorCode.NotFound, 'No such user.'),
  badRecharge: (): AppError =>
    new AppError(ErrorCode.ValidationFailed, 'The recharge is not valid: amount 1–1,000,000 and a reason.'),
  rechargeKeyReused: (): AppError =>
    new AppError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another recharge.'),
  noAccount: (): AppError => new AppError(ErrorCode.NotFound, 'No credit account.'),
};

/**
 * The one place where the credit functions' SQLSTATEs (db/migrations 0002, 0008, 0012) become contract
 * errors. Undefined: not a refusal of theirs, so the caller rethrows the error as it is.
 */
export function creditsErrorFor(error: unknown): AppError | undefined {
  switch (sqlStateOf(error)) {
    case SqlState.ApiKeyCreditLimit:
      return CreditsErrors.keyLimitReached();
    case SqlState.ApiKeyRevoked:
      return CreditsErrors.keyRevoked();
    case SqlState.InsufficientPrivilege:
      return CreditsErrors.notAdmin();
    case SqlState.NoDataFound:
      return CreditsErrors.noSuchUser();
    case SqlState.InvalidParameterValue:
      return CreditsErrors.badRecharge();
    case SqlState.IdempotencyKeyReused:
      return CreditsErrors.rechargeKeyReused();
    default:
      return undefined;
  }
}
