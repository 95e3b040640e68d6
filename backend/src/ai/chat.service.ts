import { Injectable } from '@nestjs/common';
import type { CallDeadline } from '#src/ai/call-deadline.js';
import {
  type Attempt,
  type CallReport,
  ChatBilling,
  type ChatContext,
  NO_CALL,
  type Reserved,
} from '#src/ai/chat-billing.js';
import { failureMessage, failureOf } from '#src/ai/chat-failures.js';
import { type ChatInput, type ChatOutcome, imageCount, type StreamSink } from '#src/ai/chat-outcome.js';
import { toModelView } from '#src/ai/chat.presenter.js';
import { ModelPriceCache } from '#src/ai/model-price.cache.js';
import { ModelsRepository } from '#src/ai/models.repository.js';
import { promptTokenBound } from '#src/ai/prompt-bound.js';
import type { CompletionRequest, CompletionResult } from '#src/ai/providers/ai-provider.js';
import { deliveredAnything, StreamCollector, type StreamEnding, streamResultOf } from '#src/ai/stream-collector.js';
import { AppError } from '#src/common/app-error.js';
import { type CallEnding, ChannelRouter, type RoutedCall, type UpstreamCall } from '#src/channels/channel-router.js';
import type { AuthenticatedUser } from '#src/common/auth.decorators.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { ErrorCode, type ModelView } from '#src/contract/index.js';
import { holdFor, type ModelPrice } from '#src/credits/pricing.js';
import { type IdempotentRequest, IdempotencyService } from '#src/idempotency/idempotency.service.js';
import { PeakHoursCache } from '#src/pricing/peak-hours.cache.js';

export type { ChatContext } from '#src/ai/chat-billing.js';

const IDEMPOTENCY_SCOPES = { chat: 'POST /api/ai/chat', openai: 'POST /v1/chat/completions' } as const;

const revive = (storedAnswer: string): ChatOutcome => JSON.parse(storedAnswer) as ChatOutcome;

/**
 * One chat under the billing protocol of docs/billing.md: price the worst case, reserve it, call the
 * provider with no transaction open and under a deadline, then charge what was delivered or release
 * everything (ChatBilling) — once per Idempotency-Key (IdempotencyService).
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly config: AppConfigService,
    private readonly models: ModelsRepository,
    private readonly prices: ModelPriceCache,
    private readonly peakHours: PeakHoursCache,
    private readonly billing: ChatBilling,
    private readonly idempotency: IdempotencyService,
    private readonly router: ChannelRouter,
  ) {}

  /** The enabled models a channel serves (every one in demo mode). */
  async listModels(): Promise<ModelView[]> {
    const peakNow = await this.peakHours.isPeak();
    const listed = await this.models.listUsable(await this.router.servedProviders());
    const served = await Promise.all(listed.map((price) => this.router.serves(price)));
    return listed.filter((_price, index) => served[index]).map((price) => toModelView(price, peakNow, price.updatedAt));
  }

  /** One answer, billed: reserve, call, settle or release (docs/billing.md). Nothing is delivered before it is charged. */
  async complete(user: AuthenticatedUser, input: ChatInput, context: ChatContext): Promise<ChatOutcome> {
    const attempt = await this.prepare(user, input, context);
    return this.idempotency.once(
      this.idempotentRequest(attempt, false),
      async (slot) => {
        const reserved = await this.billing.reserve(attempt);
        const routed = await this.callUpstream(
          reserved,
          (provider, upstreamModel, signal) => provider.complete(this.providerRequest(attempt, upstreamModel, signal)),
          (result) =>
            result.outcome === 'ok' || result.outcome === 'empty' || result.outcome === 'bad_finish'
              ? { kind: 'answered' }
              : { kind: 'failed', failure: result, reachedClient: false },
          { outcome: 'unavailable' },
        );
        const { value: result, deadline } = routed;
        const call = reportOf(routed);
        if (result.outcome !== 'ok') {
          throw await this.billing.release(reserved, failureOf(result, this.timeoutMessage(result, deadline)), call);
        }
        return this.billing.settle(
          reserved,
          {
            message: result.message,
            finishReason: result.finishReason,
            usage: result.usage,
            logprobs: result.logprobs,
          },
          { call, slot, delivered: false },
        );
      },
      revive,
    );
  }

  /**
   * One answer streamed to `sink` as it arrives, billed when it ends. Failures before the first
   * content throw (the endpoint answers with an HTTP error); after it, they go to `sink.fail`. A
   * whole answer is charged from the provider's usage; a stream that breaks after content reached
   * the client — the client left, the upstream failed or was cut by a deadline, a filter stopped
   * it — is charged for the delivered part, capped by the hold (docs/billing.md).
   */
  async stream(user: AuthenticatedUser, input: ChatInput, context: ChatContext, sink: StreamSink): Promise<void> {
    const attempt = await this.prepare(user, input, context);
    const jsonMode = (input.options['response_format'] as { type?: unknown } | undefined)?.type === 'json_object';
    // One collector per upstream call: a call that failed before anything reached the client leaves
    // nothing behind, and the next channel starts clean.
    let collector = new StreamCollector(sink, attempt.price.model, jsonMode);
    let outcome: ChatOutcome | undefined;
    try {
      outcome = await this.idempotency.once<ChatOutcome | undefined>(
        this.idempotentRequest(attempt, true),
        async (slot) => {
          const reserved = await this.billing.reserve(attempt);
          const routed = await this.callUpstream(
            reserved,
            (provider, upstreamModel, signal) => {
              if (collector.hasOpened) throw new Error('a stream that reached the client is never retried');
              collector = new StreamCollector(sink, attempt.price.model, jsonMode);
              return collector.consume(provider.stream(this.providerRequest(attempt, upstreamModel, signal)));
            },
            (ending) => streamCallEnding(ending, collector.hasOpened),
            UNAVAILABLE_STREAM,
          );
          const { value: ending, deadline } = routed;
          const call = reportOf(routed);
          const result = streamResultOf(ending);
          const { delivered } = ending;
          if (result.answered) {
            return this.billing.settle(
              reserved,
              { message: delivered, finishReason: result.finishReason, usage: ending.usage },
              { call, slot, delivered: true },
            );
          }
          const failure = failureOf(result.failure, this.timeoutMessage(result.failure, deadline));
          // Nothing reached the client: nothing is charged. (A blank JSON answer's reasoning was held
          // back, so it is here too.)
          if (!deliveredAnything(delivered)) {
            throw await this.billing.release(reserved, failure, call);
          }
          // Part of the answer reached the client before the stream broke, or its thinking before an
          // empty answer (max_tokens spent on reasoning): what was delivered is charged.
          const partial = await this.billing.settle(
            reserved,
            { message: delivered, finishReason: 'length', usage: ending.usage },
            { call, slot, delivered: true, failure },
          );
          sink.fail(failure.code, failureMessage(failure, partial.creditsCharged));
          return undefined;
        },
        revive,
      );
    } catch (error) {
      if (!collector.hasOpened) throw error;
      // The response is already a stream: the failure is its last event.
      if (error instanceof AppError) sink.fail(error.code, error.message);
      else sink.fail(ErrorCode.Internal, 'The request failed unexpectedly.');
      if (!(error instanceof AppError)) throw error;
      return;
    }
    if (outcome === undefined) return;
    if (!collector.hasOpened) {
      // A replay: the stored answer, sent as one delta.
      sink.open(outcome.model);
      sink.delta({
        ...(outcome.message.reasoningContent === undefined
          ? {}
          : { reasoningContent: outcome.message.reasoningContent }),
        content: outcome.message.content,
        ...(outcome.message.toolCalls === undefined
          ? {}
          : { toolCalls: outcome.message.toolCalls.map((call, index) => ({ index, ...call })) }),
      });
    }
    sink.finish(outcome);
  }

  /**
   * The upstream calls of a reserved attempt, routed over the model's channels under one deadline
   * (`AI_TIMEOUT_MS` for all calls together, or the client leaving). Providers report failures as
   * results; should a call throw anyway (a fault of ours), the hold goes back, uncharged, before the
   * error goes on.
   */
  private async callUpstream<T>(
    reserved: Reserved,
    call: UpstreamCall<T>,
    endingOf: (value: T) => CallEnding,
    unavailable: T,
  ): Promise<RoutedCall<T>> {
    try {
      return await this.router.call(reserved.price, reserved.context.clientGone, call, endingOf, unavailable);
    } catch (error) {
      await this.billing.release(reserved, failureOf({ outcome: 'upstream_error', status: undefined }), NO_CALL);
      throw error;
    }
  }

  /** Validation that needs the model, and the worst-case price at the rates in force now. */
  private async prepare(user: AuthenticatedUser, input: ChatInput, context: ChatContext): Promise<Attempt> {
    this.idempotency.parseKey(context.idempotencyKey);
    const price = await this.usableModel(input.model ?? this.config.aiDefaultModel);
    const maxTokens = this.maxTokensFor(price, input.maxTokens);
    if (!price.readsImages && imageCount(input.messages) > 0) {
      throw invalid(
        'messages',
        `${price.model} does not read images; send text only, or use a model that reads images`,
      );
    }
    const peak = await this.peakHours.isPeak();
    const ratePercent = peak ? 100 : price.offPeakPercent;
    const promptBound = promptTokenBound(input);
    return {
      user,
      input,
      price,
      peak,
      ratePercent,
      promptBound,
      maxTokens,
      hold: holdFor(price, promptBound, maxTokens, ratePercent),
      context,
    };
  }

  private idempotentRequest(attempt: Attempt, streamed: boolean): IdempotentRequest | undefined {
    const key = this.idempotency.parseKey(attempt.context.idempotencyKey);
    if (key === undefined) return undefined;
    const { user, input, price, maxTokens } = attempt;
    return {
      slot: { userId: user.id, scope: IDEMPOTENCY_SCOPES[input.endpoint], key },
      fingerprint: this.idempotency.fingerprint({
        messages: input.messages,
        options: input.options,
        model: price.model,
        maxTokens,
        streamed,
      }),
      leaseMs: this.config.holdTtlMs,
    };
  }

  /**
   * The upstream request: the messages and the client's other fields as sent, then the model's fixed
   * fields over them (an alias fixes `thinking`), for the model's name at the channel called.
   */
  private providerRequest(attempt: Attempt, upstreamModel: string, signal: AbortSignal): CompletionRequest {
    const { input, price, maxTokens } = attempt;
    return {
      model: upstreamModel,
      body: { messages: input.messages, ...input.options, ...price.requestFields },
      maxTokens,
      signal,
    };
  }

  /** An enabled model that a channel serves (demo models only in demo mode), or 404. */
  private async usableModel(model: string): Promise<ModelPrice> {
    const price = await this.prices.findUsable(model, await this.router.servedProviders());
    if (price === undefined || !(await this.router.serves(price))) {
      throw new AppError(ErrorCode.NotFound, `Model ${model} is unknown or not enabled.`);
    }
    return price;
  }

  /** The client's output budget, or the model's default; never above the model's maximum. */
  private maxTokensFor(price: ModelPrice, requested: number | undefined): number {
    if (requested === undefined) return Math.min(price.defaultOutputTokens, price.maxOutputTokens);
    if (requested > price.maxOutputTokens) {
      throw invalid('maxTokens', `maxTokens must not be greater than ${price.maxOutputTokens} for ${price.model}`);
    }
    return requested;
  }

  /** Which limit ended a call that timed out: the whole-call deadline, or the upstream's silence. */
  private timeoutMessage(result: CompletionResult, deadline: CallDeadline): string | undefined {
    if (deadline.timedOut) return `did not answer within ${this.config.aiTimeoutMs} ms`;
    if (result.outcome === 'stalled') return `sent nothing for ${this.config.streamIdleTimeoutMs} ms`;
    return undefined;
  }
}

/** A stream when no channel could be tried: nothing delivered, and why. */
const UNAVAILABLE_STREAM: StreamEnding = {
  delivered: { content: '' },
  finishReason: undefined,
  usage: undefined,
  failure: { outcome: 'unavailable' },
};

/** How a streamed call ended, for routing: a failure is retried only while nothing reached the client. */
function streamCallEnding(ending: StreamEnding, reachedClient: boolean): CallEnding {
  return ending.failure === undefined
    ? { kind: 'answered' }
    : { kind: 'failed', failure: ending.failure, reachedClient };
}

const reportOf = (routed: RoutedCall<unknown>): CallReport => ({
  latencyMs: routed.latencyMs,
  channel: routed.channel,
  attempts: routed.attempts,
});

/** A 400 VALIDATION_FAILED about one field, for rules that need the model to check. */
function invalid(field: string, message: string): AppError {
  return new AppError(ErrorCode.ValidationFailed, 'The request is not valid.', [{ field, messages: [message] }]);
}
