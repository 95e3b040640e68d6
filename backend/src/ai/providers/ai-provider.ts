/** The AI provider behind `AI_PROVIDER`: DeepSeek through the openai SDK, or the local demo. */
export const AI_PROVIDER = Symbol('AI_PROVIDER');

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  /** Aborts the whole call, body included: the deadline, or the client going away. */
  signal: AbortSignal;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
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

export interface AiProvider {
  complete(request: CompletionRequest): Promise<CompletionResult>;
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
