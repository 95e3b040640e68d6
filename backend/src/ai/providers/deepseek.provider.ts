import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import OpenAI from 'openai';
import { Agent } from 'undici';
import {
  type AiProvider,
  classifyChoice,
  type CompletionRequest,
  type CompletionResult,
  reportedUsage,
  type StreamEvent,
  StreamFailure,
  type TokenUsage,
  type TransportFailure,
} from '#src/ai/providers/ai-provider.js';
import { requestFetch } from '#src/ai/providers/undici-fetch.js';
import { AppConfigService } from '#src/config/app-config.service.js';

/**
 * DeepSeek through the official `openai` SDK. The SDK's own timeout ends at the response headers,
 * so the caller's AbortSignal (deadline + client gone) bounds the whole call, body included.
 * No automatic retries: a retried completion is a second paid call upstream, and the caller's
 * deadline is already running.
 */
@Injectable()
export class DeepSeekProvider implements AiProvider, OnApplicationShutdown {
  /** Keep-alive connections to DeepSeek, closed at shutdown once the last chat has drained. */
  private readonly connections = new Agent();
  private readonly client: OpenAI;
  private readonly logger = new Logger(DeepSeekProvider.name);

  constructor(config: AppConfigService) {
    this.client = new OpenAI({
      apiKey: config.deepseekApiKey,
      baseURL: config.deepseekBaseUrl,
      maxRetries: 0,
      timeout: config.aiTimeoutMs,
      fetch: requestFetch(this.connections),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connections.close();
  }

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    try {
      const completion = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages,
          // DeepSeek's API takes `max_tokens`; OpenAI's newer `max_completion_tokens` is not part of it.
          // eslint-disable-next-line @typescript-eslint/no-deprecated
          max_tokens: request.maxTokens,
          ...samplingParameters(request),
          stream: false,
        },
        { signal: request.signal },
      );
      const choice = completion.choices[0];
      return classifyChoice(choice?.message.content, choice?.finish_reason, this.usageOf(completion.usage, request));
    } catch (error) {
      return this.classifyFailure(error, request.signal);
    }
  }

  async *stream(request: CompletionRequest): AsyncIterable<StreamEvent> {
    let chunks;
    try {
      chunks = await this.client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages,
          // See complete(): DeepSeek takes `max_tokens`.
          // eslint-disable-next-line @typescript-eslint/no-deprecated
          max_tokens: request.maxTokens,
          ...samplingParameters(request),
          stream: true,
          // Always asked for, whatever the client wants: the charge comes from it.
          stream_options: { include_usage: true },
        },
        { signal: request.signal },
      );
    } catch (error) {
      throw this.streamFailure(error, request.signal);
    }
    try {
      for await (const chunk of chunks) {
        const choice = chunk.choices[0];
        const content = choice?.delta.content;
        if (content) yield { type: 'delta', content };
        if (choice?.finish_reason) yield { type: 'finish', finishReason: choice.finish_reason };
        const usage = this.usageOf(chunk.usage, request);
        if (usage) yield { type: 'usage', usage };
      }
    } catch (error) {
      throw this.streamFailure(error, request.signal);
    }
    // The SDK ends the iteration quietly when the signal aborts mid-stream: that is a failure.
    if (request.signal.aborted) throw new StreamFailure({ outcome: 'aborted' });
  }

  /** The reported usage when it makes sense; nonsense is logged (once, here) and treated as none. */
  private usageOf(
    raw: { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined,
    request: CompletionRequest,
  ): TokenUsage | undefined {
    const usage = reportedUsage(raw);
    if (usage !== 'nonsense') return usage;
    this.logger.warn(
      {
        model: request.model,
        promptTokens: String(raw?.prompt_tokens),
        completionTokens: String(raw?.completion_tokens),
      },
      'The AI provider reported usage that makes no sense; charging the safe-side estimate instead',
    );
    return undefined;
  }

  private streamFailure(error: unknown, signal: AbortSignal): StreamFailure {
    return new StreamFailure(this.classifyFailure(error, signal));
  }

  private classifyFailure(error: unknown, signal: AbortSignal): TransportFailure {
    if (signal.aborted || error instanceof OpenAI.APIUserAbortError) return { outcome: 'aborted' };
    if (error instanceof OpenAI.APIConnectionTimeoutError) return { outcome: 'aborted' };
    if (error instanceof OpenAI.APIConnectionError) return { outcome: 'connection_error' };
    if (error instanceof OpenAI.APIError) {
      const status: unknown = error.status;
      return { outcome: 'upstream_error', status: typeof status === 'number' ? status : undefined };
    }
    // A 200 whose body is not a completion (not JSON, wrong shape).
    return { outcome: 'upstream_error', status: undefined };
  }
}

function samplingParameters(request: CompletionRequest): { temperature?: number; top_p?: number; stop?: string[] } {
  const { temperature, topP, stop } = request.sampling ?? {};
  return {
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { top_p: topP }),
    ...(stop === undefined ? {} : { stop }),
  };
}
