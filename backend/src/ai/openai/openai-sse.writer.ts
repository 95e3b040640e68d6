import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ChatOutcome, StreamSink } from '#src/ai/chat-outcome.js';
import type { OutputDelta } from '#src/ai/providers/ai-provider.js';
import { toChunk, toOpenAiError, toUsageChunk } from '#src/ai/openai/openai-format.js';
import { takeOverResponse } from '#src/common/raw-response.js';
import type { ErrorCode } from '#src/contract/index.js';

/**
 * Writes a streamed answer as OpenAI's server-sent events, each delta as soon as it arrives. The
 * headers go out with the first content, so a failure before it is still a plain HTTP error.
 */
export class OpenAiSseWriter implements StreamSink {
  private stream?: { id: string; model: string; created: number };
  private heartbeat?: NodeJS.Timeout;
  /** Set by open(): until then the reply is Fastify's, and a failure is an ordinary error answer. */
  private response?: ServerResponse;

  constructor(
    private readonly reply: FastifyReply,
    private readonly includeUsage: boolean,
    /** Quiet this long, the stream sends an SSE comment so idle proxies keep the connection open. */
    private readonly heartbeatMs: number,
  ) {}

  open(model: string): void {
    this.stream = { id: `chatcmpl-${randomUUID()}`, model, created: Math.floor(Date.now() / 1000) };
    this.response = takeOverResponse(this.reply, 200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    this.response.flushHeaders();
    this.send(toChunk(this.stream, { role: 'assistant', content: '' }));
  }

  delta(delta: OutputDelta): void {
    const { logprobs, ...output } = delta;
    this.send(
      toChunk(
        this.opened(),
        {
          ...(output.content === undefined ? {} : { content: output.content }),
          ...(output.reasoningContent === undefined ? {} : { reasoning_content: output.reasoningContent }),
          ...(output.toolCalls === undefined ? {} : { tool_calls: output.toolCalls }),
        },
        null,
        logprobs,
      ),
    );
  }

  finish(outcome: ChatOutcome): void {
    const stream = this.opened();
    this.send(toChunk(stream, {}, outcome.finishReason));
    if (this.includeUsage) this.send(toUsageChunk(stream, outcome));
    this.end();
  }

  fail(code: ErrorCode, message: string): void {
    // The openai SDK raises a data line carrying `error` as an APIError.
    this.send(toOpenAiError({ statusCode: 500, code, message }));
    this.end();
  }

  private opened(): { id: string; model: string; created: number } {
    if (!this.stream) throw new Error('SSE stream used before open()');
    return this.stream;
  }

  private send(data: unknown): void {
    this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  private write(text: string): void {
    const response = this.response;
    if (response === undefined || response.writableEnded || response.destroyed) return;
    response.write(text);
    clearTimeout(this.heartbeat);
    this.heartbeat = setTimeout(() => {
      this.write(': keep-alive\n\n');
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private end(): void {
    this.write('data: [DONE]\n\n');
    clearTimeout(this.heartbeat);
    if (this.response !== undefined && !this.response.writableEnded) this.response.end();
  }
}
