/** The AI provider behind `AI_PROVIDER`: DeepSeek through the openai SDK, or the local demo. */
export const AI_PROVIDER = Symbol('AI_PROVIDER');

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling options passed through to the provider when the client sets them. */
export interface Sampling {
  temperature?: number;
  topP?: number;
  stop?: string[];
}

export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  sampling?: Sampling;
  /** Aborts the whole call, body included: the deadline, or the client going away. */
  signal: AbortSignal;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** The largest token count a usage row holds (a PostgreSQL integer). */
const MAX_TOKEN_COUNT = 2_147_483_647;

const isTokenCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TOKEN_COUNT;

/**
 * The provider's reported usage, or undefined when it makes no sense (negative, fractional, absurdly
 * large, missing): the caller then charges its safe-side estimate, capped by the hold, as if no
 * usage had been reported.
 */
export function reportedUsage(
  raw: { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined,
): TokenUsage | 'nonsense' | undefined {
  if (raw === null || raw === undefined) return undefined;
  const { prompt_tokens: promptTokens, completion_tokens: completionTokens } = raw;
  if (!isTokenCount(promptTokens) || !isTokenCount(completionTokens)) return 'nonsense';
  return { promptTokens, completionTokens };
}

/**
 * Every way a call can end. Only `ok` is charged; the billing layer maps the rest to error codes.
 * `aborted` means the signal fired; the caller knows whether its deadline or the client did it.
 */
export type CompletionResult =
  | { outcome: 'ok'; content: string; finishReason: 'stop' | 'length'; usage: TokenUsage | undefined }
  | { outcome: 'empty' }
  | { outcome: 'bad_finish'; finishReason: string }
  | { outcome: 'upstream_error'; status: number | undefined }
  | { outcome: 'connection_error' }
  | { outcome: 'aborted' };

/** What a streamed completion yields, in order: deltas, then its finish reason, then (maybe) usage. */
export type StreamEvent =
  { type: 'delta'; content: string } | { type: 'finish'; finishReason: string } | { type: 'usage'; usage: TokenUsage };

/** A call that failed in transport: no usable answer arrived. */
export type TransportFailure = Extract<
  CompletionResult,
  { outcome: 'aborted' | 'connection_error' | 'upstream_error' }
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

/** A choice is an answer only with visible content and a normal finish (SPEC §3.5). */
export function classifyChoice(
  content: string | null | undefined,
  finishReason: string | null | undefined,
  usage: TokenUsage | undefined,
): CompletionResult {
  if (finishReason !== 'stop' && finishReason !== 'length') {
    return { outcome: 'bad_finish', finishReason: finishReason ?? 'none' };
  }
  if (content === null || content === undefined || content.trim() === '') return { outcome: 'empty' };
  return { outcome: 'ok', content, finishReason, usage };
}
