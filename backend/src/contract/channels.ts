/** How CreditGate talks to a channel: DeepSeek's API (with its balance endpoint), or any OpenAI-compatible one. */
export const CHANNEL_KINDS = ['deepseek', 'openai-compatible'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * `healthy`: tried in its turn; `cooling`: skipped until `coolingUntil` after repeated failures;
 * `probing`: the cool-down ended and one request is trying it; `disabled`: off until an admin enables
 * it (an admin turned it off, or the upstream refused its key or account — `disabledReason`).
 */
export type ChannelState = 'healthy' | 'cooling' | 'probing' | 'disabled';

/** One instance's count of the channel's upstream calls in the last hour (health is per instance). */
export interface ChannelStats {
  requests: number;
  failures: number;
  /** failures / requests; null without requests. */
  failureRate: number | null;
  p50LatencyMs: number | null;
  lastError: { at: string; message: string } | null;
}

/** DeepSeek's `GET /user/balance` for the channel's account, at most 5 minutes old. */
export interface ChannelBalance {
  checkedAt: string;
  /** DeepSeek's `is_available`: whether the balance can pay for calls. */
  available: boolean | null;
  balances: { currency: string; total: string; granted: string; toppedUp: string }[];
  /** Set when the balance could not be read. */
  error: string | null;
}

export interface ChannelView {
  id: string;
  name: string;
  kind: ChannelKind;
  /** The channel of DEEPSEEK_API_KEY + DEEPSEEK_BASE_URL: only priority, weight and enabled are editable. */
  builtIn: boolean;
  baseUrl: string;
  /** All that is ever shown of the key. */
  apiKeyLast4: string;
  /** The public model ids it serves. */
  models: string[];
  /** Upstream model names that differ from the catalog's, by public id. */
  upstreamModels: Record<string, string>;
  /** Lower first. */
  priority: number;
  /** Share of the traffic among the healthy channels of the same priority. */
  weight: number;
  enabled: boolean;
  disabledReason: string | null;
  state: ChannelState;
  coolingUntil: string | null;
  lastHour: ChannelStats;
  /** `deepseek` channels only. */
  balance: ChannelBalance | null;
  createdAt: string;
  updatedAt: string;
}

export interface CreateChannelRequest {
  name: string;
  kind: ChannelKind;
  baseUrl: string;
  /** Write-only: stored encrypted, never returned. */
  apiKey: string;
  models: string[];
  upstreamModels?: Record<string, string>;
  priority?: number;
  weight?: number;
  enabled?: boolean;
}

export type UpdateChannelRequest = Partial<Omit<CreateChannelRequest, 'kind'>>;

/** `POST /api/admin/channels/:id/test`: one small real completion, charged to no user. */
export interface ChannelTestResult {
  ok: boolean;
  model: string;
  latencyMs: number;
  /** Why it failed; never the key. */
  error: string | null;
}
