import { Inject, Injectable } from '@nestjs/common';
import { CallDeadline, IdleDeadline } from '#src/ai/call-deadline.js';
import { type Attempt, ChatBilling, type ChatContext } from '#src/ai/chat-billing.js';
import { failureMessage, failureOf } from '#src/ai/chat-failures.js';
import type { ChatInput, ChatOutcome, StreamSink } from '#src/ai/chat-outcome.js';
import { ModelPriceCache } from '#src/ai/model-price.cache.js';
import { ModelsRepository } from '#src/ai/models.repository.js';
import { AI_PROVIDER, type AiProvider, type CompletionResult } from '#src/ai/providers/ai-provider.js';
import { StreamCollector, streamFailureOf } from '#src/ai/stream-collector.js';
import { AppError } from '#src/common/app-error.js';
import type { AuthenticatedUser } from '#src/common/auth.decorators.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { ErrorCode, type ModelView } from '#src/contract/index.js';
import { creditsFor, type ModelPrice, promptTokenBound } from '#src/credits/pricing.js';
import { type IdempotentRequest, IdempotencyService } from '#src/idempotency/idempotency.service.js';

export type { ChatContext } from '#src/ai/chat-billing.js';

const IDEMPOTENCY_SCOPES = { chat: 'POST /api/ai/chat', openai: 'POST /v1/chat/completions' } as const;
/** DeepSeek's own default when max_tokens is omitted; always sent explicitly, so the hold is bounded. */
const DEFAULT_MAX_TOKENS = 4096;

const toRate = (tenThousandths: number): number => tenThousandths / 10_000;
const revive = (storedAnswer: string): ChatOutcome => JSON.parse(storedAnswer) as ChatOutcome;

/**
 * One chat under the billing protocol of SPEC §3: price the worst case, reserve it, call the
 * provider with no transaction open and under a deadline, then charge what was delivered or release
 * everything (ChatBilling) — once per Idempotency-Key (IdempotencyService).
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly config: AppConfigService,
    private readonly models: ModelsRepository,
    private readonly prices: ModelPriceCache,
    private readonly billing: ChatBilling,
    private readonly idempotency: IdempotencyService,
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
  ) {}

  async listModels(): Promise<ModelView[]> {
    return (await this.models.listUsable(this.servedProviders())).map((price) => ({
      model: price.model,
      displayName: price.displayName,
      provider: price.provider,
      requestCredits: price.requestCredits,
      inputCreditsPer1k: toRate(price.inputPer1kE4),
      outputCreditsPer1k: toRate(price.outputPer1kE4),
      maxOutputTokens: price.maxOutputTokens,
      contextTokens: price.contextTokens,
      updatedAt: price.updatedAt.toISOString(),
    }));
  }

  /** One answer, billed: reserve, call, settle or release (SPEC §3). Nothing is delivered before it is charged. */
  async complete(user: AuthenticatedUser, input: ChatInput, context: ChatContext): Promise<ChatOutcome> {
    const attempt = await this.prepare(user, input, context);
    return this.idempotency.once(
      this.idempotentRequest(attempt, false),
      async (slot) => {
        const reserved = await this.billing.reserve(attempt);
        const deadline = new CallDeadline(this.config.aiTimeoutMs, context.clientGone);
        const started = performance.now();
        let result: CompletionResult;
        try {
          result = await this.provider.complete(this.providerRequest(attempt, deadline.signal));
        } catch (error) {
          // Providers report failures as results; should one throw anyway, its hold still goes back.
          await this.billing.release(reserved, failureOf({ outcome: 'upstream_error', status: undefined }), 0);
          throw error;
        } finally {
          deadline.end();
        }
        const latencyMs = Math.round(performance.now() - started);
        if (result.outcome !== 'ok') {
          const timedOut = deadline.timedOut ? this.deadlineMessage() : undefined;
          throw await this.billing.release(reserved, failureOf(result, timedOut), latencyMs);
        }
        return this.billing.settle(reserved, result, { latencyMs, slot, delivered: false });
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
    const collector = new StreamCollector(sink, attempt.price.model);
    let outcome: ChatOutcome | undefined;
    try {
      outcome = await this.idempotency.once<ChatOutcome | undefined>(
        this.idempotentRequest(attempt, true),
        async (slot) => {
          const reserved = await this.billing.reserve(attempt);
          const idle = new IdleDeadline(this.config.streamIdleTimeoutMs);
          const deadline = new CallDeadline(this.config.aiTimeoutMs, idle.signal, context.clientGone);
          const started = performance.now();
          let ending;
          try {
            ending = await collector.consume(
              this.provider.stream(this.providerRequest(attempt, deadline.signal)),
              () => {
                idle.restart();
              },
            );
          } catch (error) {
            // Not a transport failure: a fault of ours. Nothing is charged for it.
            await this.billing.release(reserved, failureOf({ outcome: 'upstream_error', status: undefined }), 0);
            throw error;
          } finally {
            idle.stop();
            deadline.end();
          }
          const latencyMs = Math.round(performance.now() - started);
          const timedOut = deadline.timedOut
            ? this.deadlineMessage()
            : idle.signal.aborted
              ? `sent nothing for ${this.config.streamIdleTimeoutMs} ms`
              : undefined;

          const reason = streamFailureOf(ending);
          const content = ending.delivered;
          if (reason === undefined) {
            const finishReason = ending.finishReason === 'length' ? 'length' : 'stop';
            return this.billing.settle(
              reserved,
              { content, finishReason, usage: ending.usage },
              { latencyMs, slot, delivered: true },
            );
          }
          const failure = failureOf(reason, timedOut);
          if (content.trim() === '') throw await this.billing.release(reserved, failure, latencyMs);
          // Part of the answer reached the client before the stream broke: that part is charged.
          const partial = await this.billing.settle(
            reserved,
            { content, finishReason: 'length', usage: ending.usage },
            { latencyMs, slot, delivered: true, failure },
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
      sink.delta(outcome.content);
    }
    sink.finish(outcome);
  }

  /** Validation that needs the model, and the worst-case price. */
  private async prepare(user: AuthenticatedUser, input: ChatInput, context: ChatContext): Promise<Attempt> {
    this.idempotency.parseKey(context.idempotencyKey);
    const price = await this.usableModel(input.model ?? this.config.aiDefaultModel);
    const maxTokens = this.maxTokensFor(price, input.maxTokens);
    return {
      user,
      input,
      price,
      maxTokens,
      hold: creditsFor(price, promptTokenBound(input.messages), maxTokens),
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
        model: price.model,
        maxTokens,
        sampling: input.sampling ?? null,
        streamed,
      }),
      leaseMs: this.config.holdTtlMs,
    };
  }

  private providerRequest(attempt: Attempt, signal: AbortSignal) {
    const { input, price, maxTokens } = attempt;
    return {
      model: price.model,
      messages: input.messages,
      maxTokens,
      ...(input.sampling === undefined ? {} : { sampling: input.sampling }),
      signal,
    };
  }

  private async usableModel(model: string): Promise<ModelPrice> {
    const price = await this.prices.findUsable(model, this.servedProviders());
    if (!price) throw new AppError(ErrorCode.NotFound, `Model ${model} is unknown or not enabled.`);
    return price;
  }

  /** Demo models are served only in demo mode, where the DeepSeek names are answered locally too. */
  private servedProviders(): ('deepseek' | 'demo')[] {
    return this.config.isDemoMode ? ['deepseek', 'demo'] : ['deepseek'];
  }

  private maxTokensFor(price: ModelPrice, requested: number | undefined): number {
    if (requested === undefined) return Math.min(DEFAULT_MAX_TOKENS, price.maxOutputTokens);
    if (requested > price.maxOutputTokens) {
      throw new AppError(ErrorCode.ValidationFailed, 'The request is not valid.', [
        {
          field: 'maxTokens',
          messages: [`maxTokens must not be greater than ${price.maxOutputTokens} for ${price.model}`],
        },
      ]);
    }
    return requested;
  }

  private deadlineMessage(): string {
    return `did not answer within ${this.config.aiTimeoutMs} ms`;
  }
}
