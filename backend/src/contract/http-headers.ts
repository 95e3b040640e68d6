/** Header names the API reads or writes; lower-case, as Node reports incoming headers. */
export const HttpHeader = {
  RequestId: 'x-request-id',
  IdempotencyKey: 'idempotency-key',
  RetryAfter: 'retry-after',
} as const;
