/** Every API key starts with this, so a leaked key is recognisable (e.g. by secret scanners). */
export const API_KEY_PREFIX = 'cg_live_';

/** UTC calendar periods of a budget or a spend limit; a week starts on Monday (docs/limits.md). */
export const SPEND_PERIODS = ['day', 'week', 'month'] as const;
export type SpendPeriod = (typeof SPEND_PERIODS)[number];

/** The most credits a budget, a spend limit or a key's lifetime credit limit may name. */
export const SPEND_LIMIT_MAX_CREDITS = 1_000_000_000;
/** The most model ids a key's list, and the most address ranges its `allowedIps`, may hold. */
export const API_KEY_LIST_MAX_ITEMS = 100;

/** At most `credits` per UTC `period`: charged plus held by calls in flight. */
export interface SpendBudget {
  credits: number;
  period: SpendPeriod;
}

/** What was spent (charged + held) in the current period, and when that period ends. */
export interface PeriodSpend {
  period: SpendPeriod;
  credits: number;
  periodStart: string;
  resetsAt: string;
}

/** An API key as listed: never its secret. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The visible start of the key, to tell keys apart. */
  prefix: string;
  /** Most credits the key may ever spend; null = no lifetime limit. */
  creditLimit: number | null;
  creditsSpent: number;
  /** Most credits per UTC day, week or month; null = none. */
  budget: SpendBudget | null;
  /** Public model ids the key may call (each also admits its aliases); null = every model. */
  models: string[] | null;
  /** When the key stops working; null = never. */
  expiresAt: string | null;
  /** Client addresses and CIDR ranges (IPv4, IPv6) the key may be used from; null = any. */
  allowedIps: string[] | null;
  /** The current period of the budget (a calendar month when the key has none). */
  spend: PeriodSpend;
  lastUsedAt: string | null;
  createdAt: string;
}

/** The answer to creating a key: the only time its secret is shown. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

/** The limits of a key, as its owner or an admin sets them: a field left out is kept, null clears it. */
export interface ApiKeyLimitsChange {
  creditLimit?: number | null;
  budget?: SpendBudget | null;
  models?: string[] | null;
  /** RFC 3339, in the future. */
  expiresAt?: string | null;
  allowedIps?: string[] | null;
}

/** `POST /api/keys`: a limit left out or null is none. */
export interface CreateApiKeyRequest extends ApiKeyLimitsChange {
  name: string;
}

/** `PATCH /api/keys/:id`. */
export interface UpdateApiKeyRequest extends ApiKeyLimitsChange {
  name?: string;
}

export interface ListResponse<T> {
  items: T[];
  nextCursor: string | null;
}
