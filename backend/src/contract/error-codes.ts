/**
 * Every error code the API can answer with (docs/errors.md). Shared by the backend and the admin console,
 * so both sides spell a code the same way. Adding a code here fails the build until
 * `httpStatusForErrorCode` maps it.
 */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthenticated: 'UNAUTHENTICATED',
  InsufficientCredits: 'INSUFFICIENT_CREDITS',
  Forbidden: 'FORBIDDEN',
  AccountDisabled: 'ACCOUNT_DISABLED',
  NotFound: 'NOT_FOUND',
  ConcurrentSpend: 'CONCURRENT_SPEND',
  EmailTaken: 'EMAIL_TAKEN',
  IdempotencyInProgress: 'IDEMPOTENCY_IN_PROGRESS',
  CodeAlreadyRedeemed: 'CODE_ALREADY_REDEEMED',
  CodeExpired: 'CODE_EXPIRED',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  IdempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
  RateLimited: 'RATE_LIMITED',
  AiProviderError: 'AI_PROVIDER_ERROR',
  AiProviderTimeout: 'AI_PROVIDER_TIMEOUT',
  AiEmptyResponse: 'AI_EMPTY_RESPONSE',
  Internal: 'INTERNAL',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
