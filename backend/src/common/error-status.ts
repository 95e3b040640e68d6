import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '#src/contract/index.js';

/** The one place that maps an error code to its HTTP status. Exhaustive: a new code must be mapped. */
export function httpStatusForErrorCode(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.InsufficientCredits:
    case ErrorCode.Forbidden:
    case ErrorCode.AccountDisabled:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.ConcurrentSpend:
    case ErrorCode.EmailTaken:
    case ErrorCode.IdempotencyInProgress:
    case ErrorCode.CodeAlreadyRedeemed:
      return HttpStatus.CONFLICT;
    case ErrorCode.CodeExpired:
      return HttpStatus.GONE;
    case ErrorCode.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UnsupportedMediaType:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.IdempotencyKeyReused:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.RateLimited:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.AiProviderError:
    case ErrorCode.AiProviderTimeout:
    case ErrorCode.AiEmptyResponse:
    case ErrorCode.Internal:
      return HttpStatus.INTERNAL_SERVER_ERROR;
    case ErrorCode.ServiceUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    default: {
      const unmapped: never = code;
      throw new Error(`Unmapped error code ${String(unmapped)}`);
    }
  }
}

const errorCodeByHttpStatus = new Map<number, ErrorCode>([
  [HttpStatus.BAD_REQUEST, ErrorCode.ValidationFailed],
  [HttpStatus.UNAUTHORIZED, ErrorCode.Unauthenticated],
  [HttpStatus.FORBIDDEN, ErrorCode.Forbidden],
  [HttpStatus.NOT_FOUND, ErrorCode.NotFound],
  [HttpStatus.METHOD_NOT_ALLOWED, ErrorCode.NotFound],
  [HttpStatus.PAYLOAD_TOO_LARGE, ErrorCode.PayloadTooLarge],
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE, ErrorCode.UnsupportedMediaType],
  [HttpStatus.UNPROCESSABLE_ENTITY, ErrorCode.IdempotencyKeyReused],
  [HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RateLimited],
  [HttpStatus.SERVICE_UNAVAILABLE, ErrorCode.ServiceUnavailable],
]);

/**
 * The code for an error that reached us as a bare HTTP status (framework exceptions, body-parser
 * errors); statuses the contract gives no client-facing code for are reported as INTERNAL.
 */
export function errorCodeForHttpStatus(status: number): ErrorCode {
  return errorCodeByHttpStatus.get(status) ?? ErrorCode.Internal;
}
