import { type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

/**
 * The limits CreditGate enforces, each counted per its own tracker (rate-limit.module.ts). A route
 * is limited only by the ones it names with `@RateLimit(...)`; routes that name the same limit
 * share its budget.
 */
export const RateLimitName = {
  /** Login attempts per e-mail + client IP: slows a brute force on one account. */
  LoginPerEmail: 'login-email',
  /** Login attempts per client IP, ten times the above: slows password spraying across accounts. */
  LoginPerIp: 'login-ip',
  RegisterPerIp: 'register-ip',
  /**
   * Token refreshes and logouts per client IP, one budget for both (ten times the login limit): both
   * are public, and each costs a database write or two.
   */
  SessionPerIp: 'session-ip',
  /** Chats per user, one budget for `/api/ai/chat` and `/v1/chat/completions` together. */
  ChatPerUser: 'chat-user',
  /** Redemption-code attempts per user: a brute force on codes from one account (docs/top-up.md). */
  RedeemPerUser: 'redeem-user',
  /** Redemption-code attempts per client IP, ten times the above: many accounts guessing from one place. */
  RedeemPerIp: 'redeem-ip',
} as const;

export type RateLimitName = (typeof RateLimitName)[keyof typeof RateLimitName];

/**
 * Limits that guard credentials. While their counter store (Redis) is unreachable these routes answer
 * 503 rather than let guesses through uncounted; the others (chat) go on unlimited — their money is
 * guarded by PostgreSQL, not by the rate limit (docs/scaling.md).
 */
export const CREDENTIAL_LIMITS: readonly RateLimitName[] = [
  RateLimitName.LoginPerEmail,
  RateLimitName.LoginPerIp,
  RateLimitName.RegisterPerIp,
  // A redemption code is a bearer credential for credits: guesses are never let through uncounted.
  RateLimitName.RedeemPerUser,
  RateLimitName.RedeemPerIp,
];

export const RATE_LIMITS = 'creditgate:rateLimits';

export const RateLimit = (...names: RateLimitName[]): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMITS, names);

/** The limits the handling route names (none when it names none). */
export function rateLimitsOf(reflector: Reflector, context: ExecutionContext): RateLimitName[] {
  return (
    reflector.getAllAndOverride<RateLimitName[] | undefined>(RATE_LIMITS, [context.getHandler(), context.getClass()]) ??
    []
  );
}
