/** A tool call of an assistant message, in OpenAI's shape. */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** A piece of a streamed tool call: the first piece of an index names it, later ones add arguments. */
export interface ToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** What the model answered. */
export interface AssistantMessage {
  /** The visible answer; '' when there is none (a tool-call turn). */
  content: string;
  /** The thinking that led to it (DeepSeek's thinking mode). */
  reasoningContent?: string;
  toolCalls?: ToolCall[];
}

export interface CompletionRequest {
  /** The upstream model name. */
  model: string;
  /**
   * Every other field of the upstream body — the messages and what the client set (tools,
   * response_format, thinking, …) as it sent them, then the model's fixed fields. The provider adds
   * only `model`, `max_tokens`, `stream` and `stream_options`.
   */
  body: Readonly<Record<string, unknown>>;
  maxTokens: number;
  /** Aborts the whole call, body included: the deadline, or the client going away. */
  signal: AbortSignal;
}

/** DeepSeek's usage, in the parts it prices separately. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens that hit DeepSeek's context cache (priced at the cached rate). */
  cacheHitTokens: number;
  cacheMissTokens: number;
  /** Reasoning tokens, already included in `completionTokens`. */
  reasoningTokens: number;
}

/** The provider's reported usage: what it means, and the object as the provider sent it (passed on). */
export interface ReportedUsage {
  usage: TokenUsage;
  raw: Readonly<Record<string, unknown>>;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

/**
 * Every way a call can end. Only `ok` is charged; the billing layer maps the rest to error codes.
 * `aborted` means the signal fired; the caller knows whether its deadline or the client did it.
 */
export type CompletionResult =
  | {
      outcome: 'ok';
      message: AssistantMessage;
      finishReason: FinishReason;
      usage: ReportedUsage | undefined;
      logprobs?: unknown;
    }
  | { outcome: 'empty' }
  | { outcome: 'bad_finish'; finishReason: string }
  /** `message`: the upstream's own explanation, kept only when the request was at fault (400, 422). */
  | { outcome: 'upstream_error'; status: number | undefined; message?: string }
  | { outcome: 'connection_error' }
  /** The upstream sent nothing for `STREAM_IDLE_TIMEOUT_MS` (not even a keep-alive). */
  | { outcome: 'stalled' }
  | { outcome: 'aborted' }
  /** No channel serving the model could be tried: all disabled or cooling down (docs/channels.md). */
  | { outcome: 'unavailable' };

/** A piece of a streamed answer: content, reasoning and tool-call pieces, as they arrive. */
export interface OutputDelta {
  content?: string;
  reasoningContent?: string;
  toolCalls?: ToolCallDelta[];
  logprobs?: unknown;
}

/** What a streamed completion yields, in order: deltas, then its finish reason, then (maybe) usage. */
export type StreamEvent =
  ({ type: 'delta' } & OutputDelta) | { type: 'finish'; finishReason: string } | ({ type: 'usage' } & ReportedUsage);

/** A call that failed in transport: no usable answer arrived. */
export type TransportFailure = Extract<
  CompletionResult,
  { outcome: 'aborted' | 'stalled' | 'connection_error' | 'upstream_error' | 'unavailable' }
>;

/** How a stream that could not run to its end failed (the iterator throws this). */
export class StreamFailure extends Error {
  constructor(readonly result: TransportFailure) {
    super(`stream failed: ${result.outcome}`);
    this.name = 'StreamFailure';
  }
}

export interface AiProvider {
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** Yields events as the provider sends them; throws `StreamFailure` when the call fails. */
  stream(request: CompletionRequest): AsyncIterable<StreamEvent>;
}

const FINISHES: readonly string[] = ['stop', 'length', 'tool_calls'] satisfies FinishReason[];

/** A finish reason that ends a whole answer (docs/openai-compatibility.md). */
export function isAnswerFinish(finishReason: string | null | undefined): finishReason is FinishReason {
  return finishReason !== null && finishReason !== undefined && FINISHES.includes(finishReason);
}

/** An answer is non-blank content or at least one tool call (docs/openai-compatibility.md); reasoning alone is not. */
export function hasAnswer(message: AssistantMessage): boolean {
  return message.content.trim() !== '' || (message.toolCalls?.length ?? 0) > 0;
}

/** A choice is an answer only with something in it and a normal finish (docs/openai-compatibility.md). */
export function classifyChoice(
  message: AssistantMessage,
  finishReason: string | null | undefined,
  usage: ReportedUsage | undefined,
  logprobs?: unknown,
): CompletionResult {
  if (!isAnswerFinish(finishReason)) return { outcome: 'bad_finish', finishReason: finishReason ?? 'none' };
  if (!hasAnswer(message)) return { outcome: 'empty' };
  return { outcome: 'ok', message, finishReason, usage, ...(logprobs == null ? {} : { logprobs }) };
}

/** The largest token count a usage row holds (a PostgreSQL integer). */
const MAX_TOKEN_COUNT = 2_147_483_647;

const isTokenCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TOKEN_COUNT;

const optionalCount = (value: unknown): number | undefined | 'nonsense' =>
  value === undefined || value === null ? undefined : isTokenCount(value) ? value : 'nonsense';

/**
 * The provider's reported usage, or 'nonsense' when it makes none (negative, fractional, absurdly
 * large, parts that do not add up): the caller then charges its safe-side estimate, capped by the
 * hold, as if no usage had been reported. Without a cache split, every prompt token is a miss.
 */
export function reportedUsage(raw: unknown): ReportedUsage | 'nonsense' | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) return 'nonsense';
  const fields = raw as Record<string, unknown>;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = fields;
  if (!isTokenCount(promptTokens) || !isTokenCount(completionTokens)) return 'nonsense';
  const hit = optionalCount(fields['prompt_cache_hit_tokens']);
  const miss = optionalCount(fields['prompt_cache_miss_tokens']);
  const details = fields['completion_tokens_details'];
  const reasoning = optionalCount(
    typeof details === 'object' && details !== null
      ? (details as Record<string, unknown>)['reasoning_tokens']
      : undefined,
  );
  if (hit === 'nonsense' || miss === 'nonsense' || reasoning === 'nonsense') return 'nonsense';
  const cacheHitTokens = hit ?? 0;
  const cacheMissTokens = miss ?? promptTokens - cacheHitTokens;
  if (cacheMissTokens < 0 || cacheHitTokens + cacheMissTokens !== promptTokens) return 'nonsense';
  if ((reasoning ?? 0) > completionTokens) return 'nonsense';
  return {
    usage: { promptTokens, completionTokens, cacheHitTokens, cacheMissTokens, reasoningTokens: reasoning ?? 0 },
    raw: fields,
  };
}
