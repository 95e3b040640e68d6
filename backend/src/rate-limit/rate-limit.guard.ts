import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';
import { CREDENTIAL_LIMITS, rateLimitsOf } from '#src/rate-limit/rate-limit.decorator.js';

/**
 * @nestjs/throttler's guard, answering in the contract's terms: 429 RATE_LIMITED with a plain
 * `Retry-After` (the library names its own per limit, e.g. `Retry-After-login-email`).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly outageLogger = new Logger(RateLimitGuard.name);
  private lastOutageLog = 0;

  /**
   * When the counter store fails (Redis down), credential routes answer 503 and the rest go on
   * unlimited: see CREDENTIAL_LIMITS.
   */
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await super.canActivate(context);
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (rateLimitsOf(this.reflector, context).some((name) => CREDENTIAL_LIMITS.includes(name))) {
        throw new AppError(ErrorCode.ServiceUnavailable, 'This is unavailable for a moment; retry shortly.');
      }
      // Once every ten seconds at most: an outage must not turn every chat into a log line.
      if (Date.now() - this.lastOutageLog > 10_000) {
        this.lastOutageLog = Date.now();
        this.outageLogger.warn(`Rate limits not counted while the store fails: ${String(error)}`);
      }
      return true;
    }
  }

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    void context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfterSeconds));
    throw new AppError(ErrorCode.RateLimited, `Too many requests; retry in ${retryAfterSeconds} s.`);
  }
}
