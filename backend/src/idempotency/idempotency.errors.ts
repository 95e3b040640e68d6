import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';

/** The idempotency module's errors, each with its contract code. */
export const IdempotencyErrors = {
  malformedKey: () =>
    new AppError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1 to 255 printable ASCII characters.'),
  reusedWithAnotherRequest: () =>
    new AppError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used with a different request.'),
  stillInProgress: () =>
    new AppError(ErrorCode.IdempotencyInProgress, 'A request with this Idempotency-Key is still in progress.'),
};
