/** `GET /api/credits`: available = balance − held (open holds of calls in flight). */
export interface CreditsView {
  balance: number;
  held: number;
  available: number;
}

/** `redeem`: a redemption code; `payment`: a card payment (docs/top-up.md). */
export type LedgerKind = 'signup_grant' | 'recharge' | 'charge' | 'redeem' | 'payment';

/** A ledger row: `amount` is signed (+ grants, recharges, redemptions and payments, − charges); a user's rows sum to its balance. */
export interface LedgerItem {
  id: string;
  kind: LedgerKind;
  amount: number;
  balanceAfter: number;
  reason: string;
  createdAt: string;
}

/** How an AI attempt ended: the one list of usage statuses (the database CHECK mirrors it). */
export const UsageStatus = {
  Success: 'success',
  ProviderError: 'provider_error',
  Timeout: 'timeout',
  EmptyResponse: 'empty_response',
  ClientClosed: 'client_closed',
  InsufficientCredits: 'insufficient_credits',
  ConcurrentSpend: 'concurrent_spend',
} as const;

export type UsageStatusName = (typeof UsageStatus)[keyof typeof UsageStatus];

export const USAGE_STATUSES: readonly UsageStatusName[] = Object.values(UsageStatus);

export interface UsageItem {
  id: string;
  model: string;
  status: UsageStatusName;
  endpoint: 'chat' | 'openai';
  errorCode: string | null;
  creditsCharged: number;
  promptTokens: number;
  /** Includes `reasoningTokens`. */
  completionTokens: number;
  /** Prompt tokens that hit the provider's cache (priced at the cached rate). */
  cacheHitTokens: number;
  cacheMissTokens: number;
  reasoningTokens: number;
  /** Whether the attempt was priced at the peak rates; null for attempts before prices depended on the hour. */
  peak: boolean | null;
  latencyMs: number;
  /** The upstream channel that answered, or the last that failed; null when none was called. */
  channel: string | null;
  /** Upstream calls the request made (0 when refused before any; more than 1 after failover). */
  attempts: number;
  createdAt: string;
}

/** An admin's view of a usage row: whose it was. */
export interface AdminUsageItem extends UsageItem {
  userId: string;
  email: string;
}
