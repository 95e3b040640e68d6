import type { StreamSink } from '#src/ai/chat-outcome.js';
import { type CallFailure } from '#src/ai/chat-failures.js';
import {
  type StreamEvent,
  StreamFailure,
  type TokenUsage,
  type TransportFailure,
} from '#src/ai/providers/ai-provider.js';

/** What a consumed stream came to. */
export interface StreamEnding {
  /** The content that went to the client, in full. */
  delivered: string;
  finishReason: string | undefined;
  usage: TokenUsage | undefined;
  /** Set when the stream broke in transport (the upstream failed, a deadline fired, the client left). */
  failure: TransportFailure | undefined;
}

/**
 * Reads a provider's stream to its end: sends each piece of content to the client as it arrives
 * (opening the response with the first), and keeps what was delivered, how it finished and the
 * usage — everything the bill needs afterwards.
 */
export class StreamCollector {
  private delivered = '';
  private finishReason: string | undefined;
  private usage: TokenUsage | undefined;
  private failure: TransportFailure | undefined;
  private opened = false;

  constructor(
    private readonly sink: StreamSink,
    private readonly model: string,
  ) {}

  /** True once the first content went out: from then on, failures are told in the stream. */
  get hasOpened(): boolean {
    return this.opened;
  }

  /** Consumes `events`; `onEvent` runs for each (an idle timer's restart). Throws only non-transport errors. */
  async consume(events: AsyncIterable<StreamEvent>, onEvent: () => void): Promise<StreamEnding> {
    try {
      for await (const event of events) {
        onEvent();
        switch (event.type) {
          case 'delta':
            if (!this.opened) this.sink.open(this.model);
            this.opened = true;
            this.sink.delta(event.content);
            this.delivered += event.content;
            break;
          case 'finish':
            this.finishReason = event.finishReason;
            break;
          case 'usage':
            this.usage = event.usage;
            break;
        }
      }
    } catch (error) {
      if (!(error instanceof StreamFailure)) throw error;
      this.failure = error.result;
    }
    return {
      delivered: this.delivered,
      finishReason: this.finishReason,
      usage: this.usage,
      failure: this.failure,
    };
  }
}

/**
 * Why a stream that is not a whole answer failed: its transport failure, or else how it finished —
 * no finish at all is a truncated answer, a normal finish with nothing in it is empty.
 */
export function streamFailureOf(ending: StreamEnding): CallFailure | undefined {
  if (ending.failure !== undefined) return ending.failure;
  const { finishReason } = ending;
  if (finishReason === undefined) return { outcome: 'upstream_error', status: undefined };
  if (finishReason !== 'stop' && finishReason !== 'length') return { outcome: 'bad_finish', finishReason };
  return ending.delivered.trim() === '' ? { outcome: 'empty' } : undefined;
}
