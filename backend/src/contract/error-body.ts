import type { ErrorCode } from './error-codes.js';

/** One field that failed validation, as listed in `ErrorBody.details`. */
export interface ValidationIssue {
  field: string;
  messages: string[];
}

/** The body of every error response (docs/errors.md). */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  requestId: string;
  details?: ValidationIssue[] | Record<string, unknown>;
}
