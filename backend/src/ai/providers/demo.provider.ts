import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import {
  type AiProvider,
  type CompletionRequest,
  type CompletionResult,
  type StreamEvent,
  StreamFailure,
} from '#src/ai/providers/ai-provider.js';

/** What each demo model does, so every billing path can be seen without a DeepSeek key. */
const demoBehaviour: Record<string, 'slow' | 'timeout' | 'empty' | 'error' | undefined> = {
  'demo-slow': 'slow',
  'demo-timeout': 'timeout',
  'demo-empty': 'empty',
  'demo-error': 'error',
};

const approximateTokens = (text: string): number => Math.ceil(Buffer.byteLength(text, 'utf8') / 4);

/**
 * Demo mode (no DEEPSEEK_API_KEY): answers on this machine, deterministically for a given prompt,
 * with realistic token counts and a latency of 150–400 ms. Nothing leaves the machine. The DeepSeek
 * model names are answered too, so the default model works out of the box.
 */
@Injectable()
export class DemoProvider implements AiProvider {
  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const prompt = request.messages.at(-1)?.content ?? '';
    const digest = createHash('sha256').update(`${request.model}\n${prompt}`).digest();
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

    const full = this.answer(request.model, prompt, digest);
    const limit = request.maxTokens * 4;
    const content = full.length > limit ? full.slice(0, limit) : full;
    return {
      outcome: 'ok',
      content,
      finishReason: content === full ? 'stop' : 'length',
      usage: {
        promptTokens: request.messages.reduce((total, message) => total + approximateTokens(message.content) + 4, 0),
        completionTokens: approximateTokens(content),
      },
    };
  }

  /** The same answers as `complete`, delivered a few characters at a time, as a real stream is. */
  async *stream(request: CompletionRequest): AsyncIterable<StreamEvent> {
    const result = await this.complete(request);
    switch (result.outcome) {
      case 'aborted':
      case 'upstream_error':
      case 'connection_error':
        throw new StreamFailure(result);
      case 'empty':
      case 'bad_finish':
        yield { type: 'finish', finishReason: result.outcome === 'bad_finish' ? result.finishReason : 'stop' };
        return;
      case 'ok':
        for (const piece of result.content.match(/[\s\S]{1,12}/g) ?? []) {
          try {
            await sleep(15, undefined, { signal: request.signal });
          } catch {
            throw new StreamFailure({ outcome: 'aborted' });
          }
          yield { type: 'delta', content: piece };
        }
        yield { type: 'finish', finishReason: result.finishReason };
        if (result.usage) yield { type: 'usage', usage: result.usage };
    }
  }

  private answer(model: string, prompt: string, digest: Buffer): string {
    const words = prompt.trim().split(/\s+/).length;
    const openers = [
      'Here is a demo answer.',
      'This is CreditGate in demo mode.',
      'A local demo provider wrote this.',
      'Demo mode: no request left this machine.',
    ];
    return [
      openers[digest.readUInt8(2) % openers.length],
      `You asked ${model} about "${prompt.length > 60 ? `${prompt.slice(0, 57)}…` : prompt}" (${words} words).`,
      'With a DEEPSEEK_API_KEY set, the same request goes to DeepSeek and is billed from its reported usage.',
    ].join(' ');
  }
}
