import { errorCodeForHttpStatus, httpStatusForErrorCode } from '#src/common/error-status.js';
import { ErrorCode } from '#src/contract/index.js';

describe('error code ↔ HTTP status', () => {
  it.each([
    [ErrorCode.ValidationFailed, 400],
    [ErrorCode.Unauthenticated, 401],
    [ErrorCode.InsufficientCredits, 403],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.AccountDisabled, 403],
    [ErrorCode.NotFound, 404],
    [ErrorCode.ConcurrentSpend, 409],
    [ErrorCode.EmailTaken, 409],
    [ErrorCode.IdempotencyInProgress, 409],
    [ErrorCode.CodeAlreadyRedeemed, 409],
    [ErrorCode.CodeExpired, 410],
    [ErrorCode.PayloadTooLarge, 413],
    [ErrorCode.UnsupportedMediaType, 415],
    [ErrorCode.IdempotencyKeyReused, 422],
    [ErrorCode.RateLimited, 429],
    [ErrorCode.AiProviderError, 500],
    [ErrorCode.AiProviderTimeout, 500],
    [ErrorCode.AiEmptyResponse, 500],
    [ErrorCode.Internal, 500],
    [ErrorCode.ServiceUnavailable, 503],
  ])('%s is answered with %i, as docs/errors.md lists', (code, status) => {
    expect(httpStatusForErrorCode(code)).toBe(status);
  });

  it('maps every code of the contract', () => {
    for (const code of Object.values(ErrorCode)) expect(() => httpStatusForErrorCode(code)).not.toThrow();
  });

  it('reports statuses without a client-facing code as INTERNAL', () => {
    expect(errorCodeForHttpStatus(418)).toBe(ErrorCode.Internal);
    expect(errorCodeForHttpStatus(502)).toBe(ErrorCode.Internal);
  });
});
