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
      return HttpStatus.CONFLICT;
    case ErrorCode.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
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

/**
 * The code for an error that reached us as a bare HTTP status (framework exceptions, body-parser
 * errors); statuses the contract gives no client-facing code for are reported as INTERNAL.
 */
export function errorCodeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
      return ErrorCode.ValidationFailed;
    case HttpStatus.UNAUTHORIZED:
      return ErrorCode.Unauthenticated;
    case HttpStatus.FORBIDDEN:
      return ErrorCode.Forbidden;
    case HttpStatus.NOT_FOUND:
    case HttpStatus.METHOD_NOT_ALLOWED:
      return ErrorCode.NotFound;
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return ErrorCode.PayloadTooLarge;
    case HttpStatus.UNPROCESSABLE_ENTITY:
      return ErrorCode.IdempotencyKeyReused;
    case HttpStatus.TOO_MANY_REQUESTS:
      return ErrorCode.RateLimited;
    case HttpStatus.SERVICE_UNAVAILABLE:
      return ErrorCode.ServiceUnavailable;
    default:
      return ErrorCode.Internal;
  }
}
