/** `GET /api/credits`: available = balance − held (open holds of calls in flight). */
export interface CreditsView {
  balance: number;
  held: number;
  available: number;
}

export type LedgerKind = 'signup_grant' | 'recharge' | 'charge';

/** A ledger row: `amount` is signed (+ grants and recharges, − charges); a user's rows sum to its balance. */
export interface LedgerItem {
  id: string;
  kind: LedgerKind;
  amount: number;
  balanceAfter: number;
  reason: string;
  createdAt: string;
}

export const USAGE_STATUSES = [
  'success',
  'provider_error',
  'timeout',
  'empty_response',
  'client_closed',
  'insufficient_credits',
  'concurrent_spend',
] as const;

export type UsageStatusName = (typeof USAGE_STATUSES)[number];

export interface UsageItem {
  id: string;
  model: string;
  status: UsageStatusName;
  endpoint: 'chat' | 'openai';
  errorCode: string | null;
  creditsCharged: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  createdAt: string;
}

/** An admin's view of a usage row: whose it was. */
export interface AdminUsageItem extends UsageItem {
  userId: string;
  email: string;
}
