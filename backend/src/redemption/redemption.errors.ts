import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';

/** The redemption module's refusals, each with its contract code. */
export const RedemptionErrors = {
  /** Unknown and revoked codes answer alike: a refusal must not tell a guesser which codes exist. */
  unknownCode: (): AppError => new AppError(ErrorCode.NotFound, 'No such redemption code.'),
  alreadyRedeemed: (): AppError =>
    new AppError(ErrorCode.CodeAlreadyRedeemed, 'This redemption code has already been redeemed.'),
  expired: (): AppError => new AppError(ErrorCode.CodeExpired, 'This redemption code has expired.'),
  noSuchBatch: (): AppError => new AppError(ErrorCode.NotFound, 'No such redemption-code batch.'),
  notAdmin: (): AppError => new AppError(ErrorCode.Forbidden, 'Only an admin can manage redemption codes.'),
  invalid: (message: string): AppError => new AppError(ErrorCode.ValidationFailed, message),
};

/**
 * The one place where the redemption functions' SQLSTATEs (db/migrations/0015) become contract
 * errors. Undefined: not a refusal of theirs, so the caller rethrows the error as it is.
 */
export function redemptionErrorFor(error: unknown): AppError | undefined {
  switch (sqlStateOf(error)) {
    case SqlState.InsufficientPrivilege:
      return RedemptionErrors.notAdmin();
    case SqlState.NoDataFound:
      return RedemptionErrors.noSuchBatch();
    case SqlState.InvalidParameterValue:
      return RedemptionErrors.invalid('expiresAt must be in the future.');
    case SqlState.CheckViolation:
      return RedemptionErrors.invalid('The batch is not valid: credits 1–1,000,000, 1–1,000 codes and a note.');
    default:
      return undefined;
  }
}
