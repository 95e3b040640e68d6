import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { type ChatMessage, textOf } from '#src/ai/chat-outcome.js';
import {
  type AiProvider,
  type AssistantMessage,
  type CompletionRequest,
  type CompletionResult,
  type ReportedUsage,
  type StreamEvent,
  StreamFailure,
  type ToolCall,
} from '#src/ai/providers/ai-provider.js';

/** What each demo model does, so every billing path can be seen without a DeepSeek key. */
const demoBehaviour: Record<string, 'slow' | 'timeout' | 'empty' | 'error' | undefined> = {
  'demo-slow': 'slow',
  'demo-timeout': 'timeout',
  'demo-empty': 'empty',
  'demo-error': 'error',
};

const approximateTokens = (text: string): number => Math.ceil(Buffer.byteLength(text, 'utf8') / 4);

interface FunctionTool {
  function: { name: string; parameters?: { properties?: Record<string, unknown>; required?: string[] } };
}

/**
 * Demo mode (no DEEPSEEK_API_KEY): answers on this machine, deterministically for a given request,
 * with realistic token counts and a latency of 150–400 ms. Nothing leaves the machine. It plays
 * today's DeepSeek closely enough to show every path in the demo lab: thinking (on unless
 * `thinking: {type: "disabled"}`, with `reasoning_content`), tool calls (when tools are offered and a
 * user message is the last), an answer to a tool's result, JSON mode, and cache hits on a
 * conversation's earlier messages. The DeepSeek model names are answered too, so the default
 * model works out of the box.
 */
@Injectable()
export class DemoProvider implements AiProvider {
  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const messages = (request.body['messages'] ?? []) as readonly ChatMessage[];
    const last = messages.at(-1);
    const digest = createHash('sha256')
      .update(`${request.model}\n${JSON.stringify(messages)}`)
      .digest();
    const behaviour = demoBehaviour[request.model];
    try {
      if (behaviour === 'timeout') {
        // Never answers: the caller's deadline ends the call, as with a stalled upstream.
        await sleep(2 ** 31 - 1, undefined, { signal: request.signal });
      }
      await sleep(behaviour === 'slow' ? 3000 : 150 + (digest.readUInt16BE(0) % 250), undefined, {
        signal: request.signal,
      });
    } catch {
      return { outcome: 'aborted' };
    }
    if (behaviour === 'error') return { outcome: 'upstream_error', status: 503 };
    if (behaviour === 'empty') return { outcome: 'empty' };

    const thinking = (request.body['thinking'] as { type?: unknown } | undefined)?.type !== 'disabled';
    const toolCall = last?.role === 'user' ? this.toolCallFor(request.body, digest) : undefined;
    const full = toolCall === undefined ? this.answer(request, messages, digest) : '';
    const limit = request.maxTokens * 4;
    const content = full.length > limit ? full.slice(0, limit) : full;
    const message: AssistantMessage = {
      content,
      ...(thinking ? { reasoningContent: this.reasoning(last) } : {}),
      ...(toolCall === undefined ? {} : { toolCalls: [toolCall] }),
    };
    return {
      outcome: 'ok',
      message,
      finishReason: toolCall !== undefined ? 'tool_calls' : content === full ? 'stop' : 'length',
      usage: this.usage(messages, message),
    };
  }

  /** The same answers as `complete`, delivered a few characters at a time, as a real stream is. */
  async *stream(request: CompletionRequest): AsyncIterable<StreamEvent> {
    const result = await this.complete(request);
    switch (result.outcome) {
      case 'aborted':
      case 'stalled':
      case 'upstream_error':
      case 'connection_error':
        throw new StreamFailure(result);
      case 'empty':
      case 'bad_finish':
        yield { type: 'finish', finishReason: result.outcome === 'bad_finish' ? result.finishReason : 'stop' };
        return;
      case 'ok': {
        const { message } = result;
        const pause = async (): Promise<void> => {
          try {
            await sleep(15, undefined, { signal: request.signal });
          } catch {
            throw new StreamFailure({ outcome: 'aborted' });
          }
        };
        for (const piece of pieces(message.reasoningContent ?? '')) {
          await pause();
          yield { type: 'delta', reasoningContent: piece };
        }
        for (const piece of pieces(message.content)) {
          await pause();
          yield { type: 'delta', content: piece };
        }
        for (const [index, call] of (message.toolCalls ?? []).entries()) {
          await pause();
          yield {
            type: 'delta',
            toolCalls: [
              { index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } },
            ],
          };
          for (const piece of pieces(call.function.arguments)) {
            yield { type: 'delta', toolCalls: [{ index, function: { arguments: piece } }] };
          }
        }
        yield { type: 'finish', finishReason: result.finishReason };
        if (result.usage) yield { type: 'usage', ...result.usage };
      }
    }
  }

  /** A call of the named tool, or the first one offered, with every required argument filled in. */
  private toolCallFor(body: Readonly<Record<string, unknown>>, digest: Buffer): ToolCall | undefined {
    const tools = (body['tools'] ?? []) as FunctionTool[];
    const choice = body['tool_choice'];
    if (tools.length === 0 || choice === 'none') return undefined;
    const named = (choice as { function?: { name?: unknown } } | undefined)?.function?.name;
    const tool = tools.find((candidate) => candidate.function.name === named) ?? tools[0];
    if (tool === undefined) return undefined;
    const { required = [], properties = {} } = tool.function.parameters ?? {};
    const args = Object.fromEntries(
      required.map((name) => [
        name,
        (properties[name] as { type?: unknown } | undefined)?.type === 'number' ? 1 : 'demo',
      ]),
    );
    return {
      id: `call_demo_${digest.toString('hex', 0, 8)}`,
      type: 'function',
      function: { name: tool.function.name, arguments: JSON.stringify(args) },
    };
  }

  private answer(request: CompletionRequest, messages: readonly ChatMessage[], digest: Buffer): string {
    const last = messages.at(-1);
    const asked = textOf(messages.findLast((message) => message.role === 'user')?.content);
    const shown = asked.length > 60 ? `${asked.slice(0, 57)}…` : asked;
    if ((request.body['response_format'] as { type?: unknown } | undefined)?.type === 'json_object') {
      return JSON.stringify({ model: request.model, question: shown, answer: 'a demo answer in JSON mode' });
    }
    if (last?.role === 'tool') {
      return `The tool answered ${JSON.stringify(textOf(last.content).slice(0, 80))}; a demo answer built on it.`;
    }
    const openers = [
      'Here is a demo answer.',
      'This is CreditGate in demo mode.',
      'A local demo provider wrote this.',
      'Demo mode: no request left this machine.',
    ];
    return [
      openers[digest.readUInt8(2) % openers.length],
      `You asked ${request.model} about "${shown}" (${asked.trim().split(/\s+/).length} words).`,
      'With a DEEPSEEK_API_KEY set, the same request goes to DeepSeek and is billed from its reported usage.',
    ].join(' ');
  }

  private reasoning(last: ChatMessage | undefined): string {
    return last?.role === 'tool'
      ? 'The tool has answered; summarise its result for the user.'
      : 'Demo thinking: read the question, decide whether a tool is needed, then answer briefly.';
  }

  /** DeepSeek-shaped usage; every message before the last counts as a cache hit, as a repeated prefix would. */
  private usage(messages: readonly ChatMessage[], message: AssistantMessage): ReportedUsage {
    const tokensOf = (part: ChatMessage): number => approximateTokens(textOf(part.content)) + 4;
    const promptTokens = messages.reduce((total, part) => total + tokensOf(part), 0);
    const cacheHitTokens = messages.slice(0, -1).reduce((total, part) => total + tokensOf(part), 0);
    const reasoningTokens = approximateTokens(message.reasoningContent ?? '');
    const completionTokens =
      approximateTokens(message.content) +
      reasoningTokens +
      approximateTokens(JSON.stringify(message.toolCalls ?? []).replace(/^\[\]$/, ''));
    const raw = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_cache_hit_tokens: cacheHitTokens,
      prompt_cache_miss_tokens: promptTokens - cacheHitTokens,
      completion_tokens_details: { reasoning_tokens: reasoningTokens },
    };
    return {
      usage: {
        promptTokens,
        completionTokens,
        cacheHitTokens,
        cacheMissTokens: promptTokens - cacheHitTokens,
        reasoningTokens,
      },
      raw,
    };
  }
}

const pieces = (text: string): string[] => text.match(/[\s\S]{1,12}/g) ?? [];
