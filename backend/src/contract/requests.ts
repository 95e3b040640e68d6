import type { ChatMessageInput, PeakHours } from './ai.js';
import type { SpendBudget } from './api-keys.js';
import type { Role } from './roles.js';
import type { UsageStatusName } from './records.js';

/** The most whole credits one recharge adds (at least 1). */
export const RECHARGE_MAX_CREDITS = 1_000_000;
/** The longest reason kept with a recharge, an access change or a price change. */
export const REASON_MAX_CHARS = 500;
/** The highest price a model may have, per request and per 1,000 tokens. */
export const PRICE_MAX_CREDITS = 1_000_000;

// Request bodies and queries as clients send them. The backend's DTO classes implement these
// (adding the validation rules), so a field renamed on one side fails the build on the other.

export interface LoginRequest {
  email: string;
  password: string;
}

export type RegisterRequest = LoginRequest;

export interface RefreshRequest {
  refreshToken: string;
}

/** `POST /api/ai/chat`. */
/** `POST /api/ai/chat`: a `prompt`, or `messages` in OpenAI's shape (exactly one of the two). */
export interface ChatRequest {
  prompt?: string;
  messages?: ChatMessageInput[];
  model?: string;
  maxTokens?: number;
}

/** `POST /api/admin/demo-lab/chat`: a chat billed to `userId` (which may be the admin's own id). */
export interface DemoLabChatRequest extends ChatRequest {
  userId: string;
  /** DeepSeek's thinking switch; left out, the model's default (on). */
  thinking?: 'enabled' | 'disabled';
  /** Ask for JSON (DeepSeek's JSON mode; the prompt must mention JSON). */
  jsonMode?: boolean;
  /** Function tools the model may call, in OpenAI's shape. */
  tools?: {
    type: 'function';
    function: { name: string; description?: string; parameters?: Record<string, unknown> };
  }[];
}

/** `limit` 1–100; `cursor` is the previous page's `nextCursor`. */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export interface UserSearchQuery extends PageQuery {
  search?: string;
}

/** `from` inclusive, `to` exclusive, ISO 8601. */
export interface UsageQuery extends PageQuery {
  status?: UsageStatusName;
  model?: string;
  from?: string;
  to?: string;
}

export interface AdminUsageQuery extends UsageQuery {
  userId?: string;
}

export interface StatsQuery {
  from?: string;
  to?: string;
}

export interface UpdateUserAccessRequest {
  role?: Role;
  disabled?: boolean;
  /** The user's spend limit per UTC period; null removes it (docs/limits.md). */
  spendLimit?: SpendBudget | null;
  reason?: string;
}

/** Whole credits, 1–1,000,000; send an `Idempotency-Key` so a retry adds once. */
export interface RechargeRequest {
  userId: string;
  amount: number;
  reason: string;
}

/**
 * `PUT /api/admin/models/:model` (docs/pricing.md). Left out: `cachedInputCreditsPer1k` is the input rate,
 * `offPeakPercent` is 100 (no discount), `defaultOutputTokens` stays as it is.
 */
export interface UpdateModelPriceRequest {
  enabled: boolean;
  requestCredits: number;
  inputCreditsPer1k: number;
  cachedInputCreditsPer1k?: number;
  outputCreditsPer1k: number;
  offPeakPercent?: number;
  defaultOutputTokens?: number;
  reason?: string;
}

/** `PUT /api/admin/pricing/peak-hours`: the calendar, and why it changed. */
export interface UpdatePeakHoursRequest extends PeakHours {
  reason?: string;
}

export interface AuditQuery extends PageQuery {
  targetType?: 'user' | 'model' | 'pricing';
  targetId?: string;
}
