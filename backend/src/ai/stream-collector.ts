import type { CallFailure } from '#src/ai/chat-failures.js';
import type { StreamSink } from '#src/ai/chat-outcome.js';
import {
  type AssistantMessage,
  type FinishReason,
  hasAnswer,
  isAnswerFinish,
  type OutputDelta,
  type ReportedUsage,
  type StreamEvent,
  StreamFailure,
  type ToolCall,
  type TransportFailure,
} from '#src/ai/providers/ai-provider.js';

/** What a consumed stream came to. */
export interface StreamEnding {
  /** Everything that went to the client, assembled: content, reasoning, tool calls. */
  delivered: AssistantMessage;
  finishReason: string | undefined;
  usage: ReportedUsage | undefined;
  /** Set when the stream broke in transport (the upstream failed, a deadline fired, the client left). */
  failure: TransportFailure | undefined;
}

/**
 * Reads a provider's stream to its end: sends each piece of output to the client as it arrives
 * (opening the response with the first), and assembles what was delivered — content, reasoning and
 * tool calls (their pieces joined by index) — with how it finished and the usage: everything the
 * bill needs afterwards.
 *
 * With `holdBackReasoning` (JSON mode), reasoning is sent only once the answer has begun (non-blank
 * content or a tool call): a JSON answer that comes back blank costs nothing (docs/openai-compatibility.md), so its
 * reasoning must not reach the client either — else blank JSON would be a way to read the model's
 * thinking for free. The response still opens at the first reasoning, so the connection is kept
 * alive meanwhile.
 */
export class StreamCollector {
  private content = '';
  private reasoning = '';
  /** Reasoning received and not sent yet (`holdBackReasoning`, before the answer began). */
  private heldReasoning = '';
  private answerBegun = false;
  private readonly toolCalls = new Map<number, ToolCall>();
  private finishReason: string | undefined;
  private usage: ReportedUsage | undefined;
  private failure: TransportFailure | undefined;
  private opened = false;

  constructor(
    private readonly sink: StreamSink,
    private readonly model: string,
    private readonly holdBackReasoning = false,
  ) {}

  /** True once the first output went out: from then on, failures are told in the stream. */
  get hasOpened(): boolean {
    return this.opened;
  }

  /** Consumes `events`. Throws only what is not a transport failure (a fault of ours). */
  async consume(events: AsyncIterable<StreamEvent>): Promise<StreamEnding> {
    try {
      for await (const event of events) {
        switch (event.type) {
          case 'delta': {
            const { type, ...delta } = event;
            if (!this.opened) this.sink.open(this.model);
            this.opened = true;
            this.send(delta);
            break;
          }
          case 'finish':
            this.finishReason = event.finishReason;
            break;
          case 'usage':
            this.usage = { usage: event.usage, raw: event.raw };
            break;
        }
      }
    } catch (error) {
      if (!(error instanceof StreamFailure)) throw error;
      this.failure = error.result;
    }
    return {
      delivered: this.delivered(),
      finishReason: this.finishReason,
      usage: this.usage,
      failure: this.failure,
    };
  }

  /** Sends a delta, or keeps its reasoning back until the answer begins (`holdBackReasoning`). */
  private send(delta: OutputDelta): void {
    this.answerBegun ||= (delta.content ?? '').trim() !== '' || (delta.toolCalls?.length ?? 0) > 0;
    if (this.holdBackReasoning && !this.answerBegun) {
      const { reasoningContent, ...rest } = delta;
      this.heldReasoning += reasoningContent ?? '';
      if (Object.keys(rest).length > 0) this.deliver(rest);
      return;
    }
    if (this.heldReasoning !== '') {
      this.deliver({ reasoningContent: this.heldReasoning });
      this.heldReasoning = '';
    }
    this.deliver(delta);
  }

  private deliver(delta: OutputDelta): void {
    this.sink.delta(delta);
    this.collect(delta);
  }

  private collect(delta: OutputDelta): void {
    this.content += delta.content ?? '';
    this.reasoning += delta.reasoningContent ?? '';
    for (const piece of delta.toolCalls ?? []) {
      const call = this.toolCalls.get(piece.index) ?? {
        id: '',
        type: 'function' as const,
        function: { name: '', arguments: '' },
      };
      if (piece.id !== undefined) call.id = piece.id;
      if (piece.function?.name !== undefined) call.function.name += piece.function.name;
      call.function.arguments += piece.function?.arguments ?? '';
      this.toolCalls.set(piece.index, call);
    }
  }

  private delivered(): AssistantMessage {
    const toolCalls = [...this.toolCalls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    return {
      content: this.content,
      ...(this.reasoning === '' ? {} : { reasoningContent: this.reasoning }),
      ...(toolCalls.length === 0 ? {} : { toolCalls }),
    };
  }
}

/**
 * What a consumed stream amounts to: a whole answer and how it finished, or why it is not one — its
 * transport failure, or else how it finished: no finish at all is a truncated answer, an abnormal
 * finish is the provider's failure, and a normal finish with nothing in it is empty.
 */
export function streamResultOf(
  ending: StreamEnding,
): { answered: true; finishReason: FinishReason } | { answered: false; failure: CallFailure } {
  const { finishReason } = ending;
  // A whole answer whose connection broke after its finish (before the usage or `[DONE]`) is whole.
  if (isAnswerFinish(finishReason) && hasAnswer(ending.delivered)) return { answered: true, finishReason };
  if (ending.failure !== undefined) return { answered: false, failure: ending.failure };
  if (finishReason === undefined) {
    return { answered: false, failure: { outcome: 'upstream_error', status: undefined } };
  }
  if (!isAnswerFinish(finishReason)) return { answered: false, failure: { outcome: 'bad_finish', finishReason } };
  return hasAnswer(ending.delivered)
    ? { answered: true, finishReason }
    : { answered: false, failure: { outcome: 'empty' } };
}

/** True when any output reached the client: content, reasoning or a tool call. */
export function deliveredAnything(message: AssistantMessage): boolean {
  return (
    message.content.trim() !== '' ||
    (message.reasoningContent ?? '').trim() !== '' ||
    (message.toolCalls?.length ?? 0) > 0
  );
}
