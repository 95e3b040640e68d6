import type { ErrorCode, ValidationIssue } from '#src/contract/index.js';

/**
 * A failure the client can act on, carrying a contract code (docs/errors.md). Thrown by services; the
 * global filter turns it into the error body and HTTP status.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ValidationIssue[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
