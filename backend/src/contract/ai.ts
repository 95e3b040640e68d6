/** A part of message content: text, or an image by URL (`data:` URLs included). */
export type ContentPart =
  { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

/** A tool call of an assistant message, in OpenAI's shape. */
export interface ToolCallView {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * A chat message in OpenAI's and DeepSeek's shape (docs/openai-compatibility.md): `system`, `user`, `assistant` (with
 * `tool_calls`, `reasoning_content`, `prefix`), and `tool` (with `tool_call_id`).
 */
export interface ChatMessageInput {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content?: string | ContentPart[] | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: ToolCallView[];
  reasoning_content?: string | null;
  prefix?: boolean;
  refusal?: string | null;
}

/** DeepSeek's usage, as CreditGate reports it. `completionTokens` includes `reasoningTokens`. */
export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  cacheHitTokens: number;
  cacheMissTokens: number;
  reasoningTokens: number;
}

/** `POST /api/ai/chat` answer (docs/api.md, docs/openai-compatibility.md). `balance` is what the user can spend afterwards. */
export interface ChatResponse {
  id: string;
  model: string;
  answer: string;
  /** The model's thinking, when it thought (DeepSeek's `reasoning_content`). */
  reasoning?: string;
  toolCalls?: ToolCallView[];
  finishReason: 'stop' | 'length' | 'tool_calls';
  usage: ChatUsage;
  creditsCharged: number;
  balance: number;
}

/** A model that can be used now, with its price (credits; per-1k rates may be fractional). */
export interface ModelView {
  model: string;
  displayName: string;
  provider: 'deepseek' | 'demo';
  requestCredits: number;
  /** Input tokens that miss the provider's cache. */
  inputCreditsPer1k: number;
  /** Input tokens that hit the provider's cache. */
  cachedInputCreditsPer1k: number;
  outputCreditsPer1k: number;
  /** Off-peak rates in percent of the peak rates above (100 = no discount). */
  offPeakPercent: number;
  /** Whether the rates in force now are the peak rates. */
  peakNow: boolean;
  defaultOutputTokens: number;
  maxOutputTokens: number;
  contextTokens: number;
  readsImages: boolean;
  /** When the price last changed (ISO 8601). */
  updatedAt: string;
}

/** The hours at peak rates (docs/pricing.md): local times in `timeZone`, ISO weekdays, off-peak holidays. */
export interface PeakHours {
  /** An IANA time zone, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** `[{from: "09:00", to: "12:00"}]`; `to` may be `"24:00"`. Empty: every hour is off-peak. */
  ranges: { from: string; to: string }[];
  /** `YYYY-MM-DD` dates that are off-peak all day. */
  holidays: string[];
}

export const PROMPT_MAX_CHARS = 8000;

/** A model id: what clients name, and what the price table is keyed by. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
