import { HttpErrorResponse } from '@angular/common/http';
import { type ErrorBody, ErrorCode, HttpHeader } from '@creditgate/contract';

/** What the console says for each code; `Record` makes a new code in the contract a build error here. */
const MESSAGES: Record<ErrorCode, string> = {
  [ErrorCode.ValidationFailed]: 'Some values are not valid.',
  [ErrorCode.Unauthenticated]: 'Your session has ended. Please sign in again.',
  [ErrorCode.InsufficientCredits]: 'Not enough credits for this request.',
  [ErrorCode.Forbidden]: 'You are not allowed to do this.',
  [ErrorCode.AccountDisabled]: 'This account is disabled.',
  [ErrorCode.NotFound]: 'Not found: it may have been removed.',
  [ErrorCode.ConcurrentSpend]: 'Another request is spending these credits right now. Try again in a moment.',
  [ErrorCode.EmailTaken]: 'This e-mail address is already registered.',
  [ErrorCode.IdempotencyInProgress]: 'The same request is still being processed.',
  [ErrorCode.CodeAlreadyRedeemed]: 'This code has already been redeemed.',
  [ErrorCode.CodeExpired]: 'This code has expired.',
  [ErrorCode.PayloadTooLarge]: 'The request is too large.',
  [ErrorCode.UnsupportedMediaType]: 'The request was not sent as JSON.',
  [ErrorCode.IdempotencyKeyReused]: 'This request was already sent with different values.',
  [ErrorCode.RateLimited]: 'Too many requests. Please wait and try again.',
  [ErrorCode.AiProviderError]: 'The AI provider failed to answer. Nothing was charged.',
  [ErrorCode.AiProviderTimeout]: 'The AI provider did not answer in time. Nothing was charged.',
  [ErrorCode.AiEmptyResponse]: 'The AI provider answered with nothing. Nothing was charged.',
  [ErrorCode.Internal]: 'Something went wrong on the server.',
  [ErrorCode.ServiceUnavailable]: 'The service is unavailable right now. Try again shortly.',
};

/** Not an API code: the request never got an answer (offline, server down, blocked). */
export const NETWORK_ERROR = 'NETWORK_ERROR';

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/**
 * An API failure as the console shows it: `message` is the console's sentence for the code,
 * `detail` the server's own (specific, and written for clients: it never carries secrets).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | typeof NETWORK_ERROR,
    message: string,
    readonly detail: string | null = null,
    readonly requestId: string | null = null,
    /** Seconds, from `Retry-After` on a 429. */
    readonly retryAfter: number | null = null,
    readonly fieldErrors: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** One line for a banner or a snack bar. */
  get summary(): string {
    const specific = this.fieldErrors.length > 0 ? this.fieldErrors.join('; ') : this.detail;
    return specific && specific !== this.message ? `${this.message} ${specific}` : this.message;
  }
}

export function messageFor(code: ErrorCode): string {
  return MESSAGES[code];
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ErrorBody>).code === 'string' &&
    KNOWN_CODES.has((value as ErrorBody).code)
  );
}

/** A code for answers that carry no error body (a proxy's 502, a static 404). */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.Unauthenticated;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.NotFound;
  if (status === 413) return ErrorCode.PayloadTooLarge;
  if (status === 429) return ErrorCode.RateLimited;
  if (status === 502 || status === 503 || status === 504) return ErrorCode.ServiceUnavailable;
  if (status >= 400 && status < 500) return ErrorCode.ValidationFailed;
  return ErrorCode.Internal;
}

function fieldErrorsOf(body: ErrorBody): string[] {
  return Array.isArray(body.details) ? body.details.flatMap((issue) => issue.messages) : [];
}

/**
 * Turns whatever a request failed with into an `ApiError`. `body` is the parsed error body when the
 * caller had to read it separately (a `blob` response such as the CSV export).
 */
export function toApiError(error: unknown, body?: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (!(error instanceof HttpErrorResponse)) {
    return new ApiError(0, ErrorCode.Internal, messageFor(ErrorCode.Internal));
  }
  if (error.status === 0) {
    return new ApiError(0, NETWORK_ERROR, 'Cannot reach the server. Check the connection and try again.');
  }
  const payload: unknown = body === undefined ? error.error : body;
  const retryAfter = Number(error.headers.get(HttpHeader.RetryAfter) ?? Number.NaN);
  const requestId = error.headers.get(HttpHeader.RequestId);
  if (isErrorBody(payload)) {
    return new ApiError(
      error.status,
      payload.code,
      messageFor(payload.code),
      payload.message,
      payload.requestId,
      Number.isFinite(retryAfter) ? retryAfter : null,
      fieldErrorsOf(payload),
    );
  }
  const code = codeForStatus(error.status);
  return new ApiError(
    error.status,
    code,
    messageFor(code),
    null,
    requestId,
    Number.isFinite(retryAfter) ? retryAfter : null,
  );
}
