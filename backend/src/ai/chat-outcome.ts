import type { ChatMessage, Sampling, TokenUsage } from '#src/ai/providers/ai-provider.js';
import type { ChatRequest, ErrorCode } from '#src/contract/index.js';

/** A chat as both endpoints ask for it: `/api/ai/chat` sends one user message, `/v1` a conversation. */
export interface ChatInput {
  endpoint: 'chat' | 'openai';
  messages: ChatMessage[];
  model?: string;
  maxTokens?: number;
  sampling?: Sampling;
}

/** `POST /api/ai/chat`'s body (also the demo lab's) as a chat: one user message. */
export function chatInputFrom(request: ChatRequest): ChatInput {
  return {
    endpoint: 'chat',
    messages: [{ role: 'user', content: request.prompt }],
    ...(request.model === undefined ? {} : { model: request.model }),
    ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
  };
}

/** A billed answer, before an endpoint renders it in its own shape. Stored for idempotent replays. */
export interface ChatOutcome {
  usageId: string;
  model: string;
  content: string;
  finishReason: 'stop' | 'length';
  usage: TokenUsage;
  creditsCharged: number;
  /** What the user can spend afterwards. */
  balance: number;
}

/** Where a streamed answer goes, as it arrives; the endpoint decides the wire format. */
export interface StreamSink {
  /** The first content is here: send the response headers. */
  open(model: string): void;
  delta(content: string): void;
  /** The stream ended normally and was charged. */
  finish(outcome: ChatOutcome): void;
  /** The stream broke after it was opened; nothing more will come. */
  fail(code: ErrorCode, message: string): void;
}
