import type { AssistantMessage, FinishReason, OutputDelta, TokenUsage } from '#src/ai/providers/ai-provider.js';
import { assertForwardable } from '#src/ai/dto/chat-shapes.validation.js';
import type { ChatMessageInput, ChatRequest, ErrorCode } from '#src/contract/index.js';

/** A chat message as OpenAI and DeepSeek define it, kept exactly as the client sent it. */
export type ChatMessage = ChatMessageInput;

/** A chat as both endpoints ask for it: `/api/ai/chat` a prompt or messages, `/v1` the whole OpenAI request. */
export interface ChatInput {
  endpoint: 'chat' | 'openai';
  messages: readonly ChatMessage[];
  /**
   * The other request fields the client set, forwarded upstream as it sent them (tools, tool_choice,
   * response_format, thinking, reasoning_effort, sampling, logprobs, stop, user): never re-serialised
   * through a class, so nested fields such as a tool's JSON schema arrive untouched.
   */
  options: Readonly<Record<string, unknown>>;
  model?: string;
  maxTokens?: number;
}

/** The top-level fields of `POST /api/ai/chat`. */
export const CHAT_REQUEST_FIELDS = [
  'prompt',
  'messages',
  'model',
  'maxTokens',
] as const satisfies readonly (keyof ChatRequest)[];

/**
 * `POST /api/ai/chat`'s body (also the demo lab's) as a chat: the prompt as one user message, or the
 * messages as the client sent them (`raw`, checked once more: see `assertForwardable`).
 */
export function chatInputFrom(
  request: ChatRequest,
  raw: Readonly<Record<string, unknown>>,
  allowedFields: readonly string[] = CHAT_REQUEST_FIELDS,
): ChatInput {
  assertForwardable(raw, allowedFields);
  return {
    endpoint: 'chat',
    messages:
      request.messages === undefined
        ? [{ role: 'user', content: request.prompt ?? '' }]
        : (raw['messages'] as ChatMessage[]),
    options: {},
    ...(request.model === undefined ? {} : { model: request.model }),
    ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
  };
}

/** The text of message content: a string, or the text parts of an array joined; images count as nothing. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      const { type, text } = (part ?? {}) as { type?: unknown; text?: unknown };
      return type === 'text' && typeof text === 'string' ? text : '';
    })
    .join('');
}

/** How many image parts the messages carry. */
export function imageCount(messages: readonly ChatMessage[]): number {
  return messages.reduce(
    (count, message) =>
      count +
      (Array.isArray(message.content)
        ? message.content.filter((part: unknown) => (part as { type?: unknown } | null)?.type === 'image_url').length
        : 0),
    0,
  );
}

/** A billed answer, before an endpoint renders it in its own shape. Stored for idempotent replays. */
export interface ChatOutcome {
  usageId: string;
  model: string;
  message: AssistantMessage;
  finishReason: FinishReason;
  usage: TokenUsage;
  /** The provider's usage object as it sent it, passed on to OpenAI-format clients. */
  upstreamUsage?: Readonly<Record<string, unknown>>;
  logprobs?: unknown;
  creditsCharged: number;
  /** What the user can spend afterwards. */
  balance: number;
}

/** Where a streamed answer goes, as it arrives; the endpoint decides the wire format. */
export interface StreamSink {
  /** The first output is here: send the response headers. */
  open(model: string): void;
  delta(delta: OutputDelta): void;
  /** The stream ended normally and was charged. */
  finish(outcome: ChatOutcome): void;
  /** The stream broke after it was opened; nothing more will come. */
  fail(code: ErrorCode, message: string): void;
}
