import { Logger } from '@nestjs/common';
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import { Agent } from 'undici';
import {
  type AiProvider,
  type AssistantMessage,
  classifyChoice,
  type CompletionRequest,
  type CompletionResult,
  type OutputDelta,
  type ReportedUsage,
  reportedUsage,
  type StreamEvent,
  StreamFailure,
  type ToolCall,
  type ToolCallDelta,
  type TransportFailure,
} from '#src/ai/providers/ai-provider.js';
import { requestFetch } from '#src/ai/providers/undici-fetch.js';

/** undici's codes for a response that went silent longer than the connection's idle limits. */
const SILENCE_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The message fields DeepSeek adds to OpenAI's (untyped in the SDK). */
interface DeepSeekMessageFields {
  reasoning_content?: string | null;
}

/** Where one channel's upstream is, and the limits of a call to it. */
export interface UpstreamConnection {
  baseUrl: string;
  apiKey: string;
  /** `STREAM_IDLE_TIMEOUT_MS`. */
  idleTimeoutMs: number;
  /** `AI_TIMEOUT_MS`, the SDK's own cap (the caller's signal normally fires first). */
  callTimeoutMs: number;
}

/**
 * One channel's upstream — DeepSeek, or another OpenAI-compatible API — through the official `openai`
 * SDK. Two limits bound a call: the caller's AbortSignal
 * (`AI_TIMEOUT_MS` over the whole call, body included, or the client leaving), and the connection's
 * idle limits (`STREAM_IDLE_TIMEOUT_MS` between any two bytes, headers included): DeepSeek keeps a
 * busy connection alive with blank lines (JSON) or `: keep-alive` comments (SSE), so silence that
 * long means a stalled upstream, stream or not. No automatic retries: a retried completion is a
 * second paid call upstream, and the caller's deadline is already running; failing over to another
 * channel is the caller's decision (docs/channels.md).
 */
export class OpenAiCompatibleProvider implements AiProvider {
  /** Keep-alive connections to the upstream, closed once the channel is replaced or the app stops. */
  private readonly connections: Agent;
  private readonly client: OpenAI;
  private readonly logger = new Logger(OpenAiCompatibleProvider.name);

  constructor(connection: UpstreamConnection) {
    this.connections = new Agent({
      headersTimeout: connection.idleTimeoutMs,
      bodyTimeout: connection.idleTimeoutMs,
    });
    this.client = new OpenAI({
      apiKey: connection.apiKey,
      baseURL: connection.baseUrl,
      maxRetries: 0,
      timeout: connection.callTimeoutMs,
      fetch: requestFetch(this.connections),
    });
  }

  /** Closes the connections once the calls still using them have ended. */
  async close(): Promise<void> {
    await this.connections.close();
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    try {
      const completion = await this.client.chat.completions.create(
        { ...this.params(request), stream: false } as ChatCompletionCreateParams & { stream: false },
        { signal: request.signal },
      );
      const choice = completion.choices[0];
      const message: (OpenAI.ChatCompletionMessage & DeepSeekMessageFields) | undefined = choice?.message;
      const answer: AssistantMessage = {
        content: message?.content ?? '',
        ...(message?.reasoning_content ? { reasoningContent: message.reasoning_content } : {}),
        ...toolCallsOf(message?.tool_calls),
      };
      return classifyChoice(answer, choice?.finish_reason, this.usageOf(completion.usage, request), choice?.logprobs);
    } catch (error) {
      return this.classifyFailure(error, request.signal);
    }
  }

  async *stream(request: CompletionRequest): AsyncIterable<StreamEvent> {
    let chunks;
    try {
      chunks = await this.client.chat.completions.create(
        {
          ...this.params(request),
          stream: true,
          // Always asked for, whatever the client wants: the charge comes from it.
          stream_options: { include_usage: true },
        } as ChatCompletionCreateParams & { stream: true },
        { signal: request.signal },
      );
    } catch (error) {
      throw this.streamFailure(error, request.signal);
    }
    try {
      for await (const chunk of chunks) {
        const choice = chunk.choices[0];
        if (choice) {
          const delta = deltaOf(choice);
          if (delta) yield { type: 'delta', ...delta };
          if (choice.finish_reason) yield { type: 'finish', finishReason: choice.finish_reason };
        }
        const usage = this.usageOf(chunk.usage, request);
        if (usage) yield { type: 'usage', ...usage };
      }
    } catch (error) {
      throw this.streamFailure(error, request.signal);
    }
    // The SDK ends the iteration quietly when the signal aborts mid-stream: that is a failure.
    if (request.signal.aborted) throw new StreamFailure({ outcome: 'aborted' });
  }

  /** The upstream body: what the caller built, with the model and the output budget. */
  private params(request: CompletionRequest): Record<string, unknown> {
    // DeepSeek's API takes `max_tokens`; OpenAI's newer `max_completion_tokens` is not part of it.
    return { ...request.body, model: request.model, max_tokens: request.maxTokens };
  }

  /** The reported usage when it makes sense; nonsense is logged (once, here) and treated as none. */
  private usageOf(raw: unknown, request: CompletionRequest): ReportedUsage | undefined {
    const usage = reportedUsage(raw);
    if (usage !== 'nonsense') return usage;
    this.logger.warn(
      { model: request.model, usage: JSON.stringify(raw).slice(0, 300) },
      'The AI provider reported usage that makes no sense; charging the safe-side estimate instead',
    );
    return undefined;
  }

  private streamFailure(error: unknown, signal: AbortSignal): StreamFailure {
    return new StreamFailure(this.classifyFailure(error, signal));
  }

  private classifyFailure(error: unknown, signal: AbortSignal): TransportFailure {
    if (signal.aborted || error instanceof OpenAI.APIUserAbortError) return { outcome: 'aborted' };
    // The SDK reports undici's headers timeout as its own timeout, without the cause; its own timer
    // (AI_TIMEOUT_MS from this call's start) never fires before the request's deadline, which aborts
    // the signal first. So a timeout with the signal still live is the upstream's silence.
    if (isSilence(error) || error instanceof OpenAI.APIConnectionTimeoutError) return { outcome: 'stalled' };
    if (error instanceof OpenAI.APIConnectionError) return { outcome: 'connection_error' };
    if (error instanceof OpenAI.APIError) {
      const status: unknown = error.status;
      return {
        outcome: 'upstream_error',
        status: typeof status === 'number' ? status : undefined,
        ...(status === 400 || status === 422 ? { message: upstreamMessageOf(error) } : {}),
      };
    }
    // A 200 whose body is not a completion (not JSON, wrong shape).
    return { outcome: 'upstream_error', status: undefined };
  }
}

/** True when undici gave up on a silent connection, wherever the SDK wrapped its error. */
function isSilence(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && SILENCE_CODES.has(code)) return true;
  }
  return false;
}

/**
 * The upstream's own explanation of a refused request (400/422: the request's fault), for the client:
 * a model that reads no images, JSON mode without the word "json", a missing `reasoning_content`.
 * Only DeepSeek's message, at most 300 characters; never headers or keys.
 */
function upstreamMessageOf(error: { error?: unknown }): string | undefined {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message.slice(0, 300) : undefined;
}

function toolCallsOf(calls: readonly OpenAI.ChatCompletionMessageToolCall[] | undefined): { toolCalls?: ToolCall[] } {
  const functions = (calls ?? []).filter((call) => call.type === 'function');
  if (functions.length === 0) return {};
  return {
    toolCalls: functions.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments },
    })),
  };
}

function deltaOf(choice: ChatCompletionChunk.Choice): OutputDelta | undefined {
  const delta = choice.delta as ChatCompletionChunk.Choice.Delta & DeepSeekMessageFields;
  const toolCalls: ToolCallDelta[] | undefined = delta.tool_calls?.map((call) => ({
    index: call.index,
    ...(call.id === undefined ? {} : { id: call.id }),
    ...(call.type === undefined ? {} : { type: call.type }),
    ...(call.function === undefined
      ? {}
      : {
          function: {
            ...(call.function.name === undefined ? {} : { name: call.function.name }),
            ...(call.function.arguments === undefined ? {} : { arguments: call.function.arguments }),
          },
        }),
  }));
  const result: OutputDelta = {
    ...(delta.content ? { content: delta.content } : {}),
    ...(delta.reasoning_content ? { reasoningContent: delta.reasoning_content } : {}),
    ...(toolCalls && toolCalls.length > 0 ? { toolCalls } : {}),
    ...(choice.logprobs ? { logprobs: choice.logprobs } : {}),
  };
  return Object.keys(result).length > 0 ? result : undefined;
}
