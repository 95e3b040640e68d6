import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';

/**
 * @nestjs/throttler's guard, answering in the contract's terms: 429 RATE_LIMITED with a plain
 * `Retry-After` (the library names its own per limit, e.g. `Retry-After-login-email`).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
    throw new AppError(ErrorCode.RateLimited, `Too many requests; retry in ${retryAfterSeconds} s.`);
  }
}
