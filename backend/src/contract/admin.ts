import type { ModelView } from './ai.js';
import type { ApiKeyLimitsChange, ApiKeyView, PeriodSpend, SpendBudget } from './api-keys.js';
import { type CreditsView, type LedgerItem, USAGE_STATUSES, type UsageStatusName } from './records.js';
import type { Role } from './roles.js';

export interface AdminUserItem {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  credits: CreditsView;
}

export interface UsageSummary {
  requests: number;
  successes: number;
  failures: number;
  creditsCharged: number;
  promptTokens: number;
  completionTokens: number;
}

export interface OpenHold {
  id: string;
  amount: number;
  createdAt: string;
  expiresAt: string;
}

export interface AdminUserDetail extends AdminUserItem {
  openHolds: OpenHold[];
  recentLedger: LedgerItem[];
  usage: UsageSummary;
  /** The admin-set cap on what the user spends per UTC period, over all its keys and logins; null = none. */
  spendLimit: SpendBudget | null;
  /** The current period of the spend limit (a calendar month when there is none). */
  spend: PeriodSpend;
  /** The user's keys that still work, with their limits and spend. */
  apiKeys: ApiKeyView[];
}

/** `PATCH /api/admin/users/:id/keys/:keyId`: a key's limits, and why they changed (audited). */
export interface AdminUpdateApiKeyRequest extends ApiKeyLimitsChange {
  reason?: string;
}

export interface RechargeResponse {
  ledgerEntryId: string;
  balance: number;
  /** True when this Idempotency-Key had already recharged: nothing was added this time. */
  replayed: boolean;
}

/** Every usage status but success. */
export type FailureKind = Exclude<UsageStatusName, 'success'>;

export const FAILURE_KINDS = USAGE_STATUSES.filter((status): status is FailureKind => status !== 'success');

export interface StatsFigures {
  requests: number;
  successes: number;
  failures: Record<FailureKind, number>;
  creditsCharged: number;
  promptTokens: number;
  completionTokens: number;
  cacheHitTokens: number;
  cacheMissTokens: number;
  /** Included in `completionTokens`. */
  reasoningTokens: number;
}

export interface StatsResponse {
  from: string;
  to: string;
  /** One entry per UTC day of the range, empty days included. */
  days: (StatsFigures & { day: string })[];
  totals: StatsFigures;
  topUsers: { userId: string; email: string; requests: number; creditsCharged: number }[];
}

/** `GET /api/usage/stats` (same query as the admin's): the caller's own days and totals, no top users. */
export type UsageStatsResponse = Omit<StatsResponse, 'topUsers'>;

/** A row of the price table as admins see it: usable or not, and who set it last. */
export interface AdminModel extends ModelView {
  enabled: boolean;
  /** The upstream model this id calls (itself unless an alias). */
  upstreamModel: string;
  /** Request fields this model adds upstream, over the client's (e.g. `thinking` for an alias). */
  requestFields: Readonly<Record<string, unknown>>;
  updatedBy: string | null;
}

export interface AuditItem {
  id: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  reason: string | null;
  createdAt: string;
}
