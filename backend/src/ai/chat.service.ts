import { Inject, Injectable } from '@nestjs/common';
import { CallDeadline, IdleDeadline } from '#src/ai/call-deadline.js';
import { ModelPriceCache } from '#src/ai/model-price.cache.js';
import { ModelsRepository } from '#src/ai/models.repository.js';
import type { ChatInput, ChatOutcome, StreamSink } from '#src/ai/chat-outcome.js';
import {
  AI_PROVIDER,
  type AiProvider,
  type CompletionResult,
  StreamFailure,
  type TokenUsage,
  type TransportFailure,
} from '#src/ai/providers/ai-provider.js';
import { AppError } from '#src/common/app-error.js';
import type { AuthenticatedUser } from '#src/common/auth.decorators.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { ErrorCode, type ModelView } from '#src/contract/index.js';
import { CreditsRepository } from '#src/credits/credits.repository.js';
import { creditsFor, type ModelPrice, promptTokenBound } from '#src/credits/pricing.js';
import { IdempotencyService } from '#src/idempotency/idempotency.service.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { type UsageEntry, UsageStatus } from '#src/usage/usage-log.js';

const IDEMPOTENCY_SCOPES = { chat: 'POST /api/ai/chat', openai: 'POST /v1/chat/completions' } as const;
/** DeepSeek's own default when max_tokens is omitted; always sent explicitly, so the hold is bounded. */
const DEFAULT_MAX_TOKENS = 4096;

export interface ChatContext {
  requestId: string;
  /** Fires when the client disconnects: the upstream call is abandoned and nothing is charged. */
  clientGone: AbortSignal;
  idempotencyKey?: string;
}

interface Attempt {
  user: AuthenticatedUser;
  input: ChatInput;
  price: ModelPrice;
  maxTokens: number;
  hold: number;
  context: ChatContext;
}

/** A reserved attempt: the provider may be called now. */
interface Reserved extends Attempt {
  holdId: string;
}

interface Failure {
  status: UsageStatus;
  code: ErrorCode;
  message: string;
}

const toRate = (tenThousandths: number): number => tenThousandths / 10_000;

/**
 * The billing protocol of SPEC §3 for one chat: price the worst case, refuse early when the
 * balance is short, reserve it, call the provider with no transaction open and under a deadline,
 * then charge the actual cost or release everything — with exactly one usage row either way.
 */
@Injectable()
export class ChatService {
  constructor(
    private readonly config: AppConfigService,
    private readonly models: ModelsRepository,
    private readonly prices: ModelPriceCache,
    private readonly credits: CreditsRepository,
    private readonly idempotency: IdempotencyService,
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    private readonly metrics: MetricsService,
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

  /** One answer, billed: reserve, call, settle or release (SPEC §3). */
  async complete(user: AuthenticatedUser, input: ChatInput, context: ChatContext): Promise<ChatOutcome> {
    const attempt = await this.prepare(user, input, context);
    return this.idempotently(attempt, false, async () => {
      const reserved = await this.reserve(attempt);
      const deadline = new CallDeadline(this.config.aiTimeoutMs, context.clientGone);
      const started = performance.now();
      let result: CompletionResult;
      try {
        result = await this.provider.complete({
          model: attempt.price.model,
          messages: input.messages,
          maxTokens: attempt.maxTokens,
          ...(input.sampling === undefined ? {} : { sampling: input.sampling }),
          signal: deadline.signal,
        });
      } catch (error) {
        // Providers report failures as results; should one throw anyway, its hold still goes back.
        await this.release(reserved, this.failureOf({ outcome: 'upstream_error', status: undefined }), 0);
        throw error;
      } finally {
        deadline.end();
      }
      const latencyMs = Math.round(performance.now() - started);
      if (result.outcome !== 'ok') {
        throw await this.release(
          reserved,
          this.failureOf(result, deadline.timedOut ? this.deadlineMessage() : undefined),
          latencyMs,
        );
      }
      return this.settle(reserved, result.content, result.finishReason, result.usage, latencyMs);
    });
  }

  /**
   * One answer streamed to `sink` as it arrives, billed when it ends. Failures before the first
   * content throw (the endpoint answers with an HTTP error); after it, they go to `sink.fail`.
   * Charged only when the stream ends normally with content — or, when the client disconnects
   * after content arrived, for what was delivered (docs/billing.md).
   */
  async stream(user: AuthenticatedUser, input: ChatInput, context: ChatContext, sink: StreamSink): Promise<void> {
    const attempt = await this.prepare(user, input, context);
    // Mutated inside the callbacks below; an object keeps TypeScript from narrowing it to `false`.
    const stream = { opened: false };
    const outcome = await this.idempotently(attempt, true, async () => {
      const reserved = await this.reserve(attempt);
      const idle = new IdleDeadline(this.config.streamIdleTimeoutMs);
      const deadline = new CallDeadline(this.config.aiTimeoutMs, idle.signal, context.clientGone);
      const started = performance.now();
      let delivered = '';
      let finishReason: string | undefined;
      let usage: TokenUsage | undefined;
      let failure: TransportFailure | undefined;
      try {
        const events = this.provider.stream({
          model: attempt.price.model,
          messages: input.messages,
          maxTokens: attempt.maxTokens,
          ...(input.sampling === undefined ? {} : { sampling: input.sampling }),
          signal: deadline.signal,
        });
        for await (const event of events) {
          idle.restart();
          if (event.type === 'delta') {
            if (!stream.opened) sink.open(attempt.price.model);
            stream.opened = true;
            sink.delta(event.content);
            delivered += event.content;
          } else if (event.type === 'finish') {
            finishReason = event.finishReason;
          } else {
            usage = event.usage;
          }
        }
      } catch (error) {
        if (!(error instanceof StreamFailure)) {
          await this.release(reserved, this.failureOf({ outcome: 'upstream_error', status: undefined }), 0);
          throw error;
        }
        failure = error.result;
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
      const clientLeft = failure?.outcome === 'aborted' && timedOut === undefined;

      if (failure === undefined && (finishReason === 'stop' || finishReason === 'length') && delivered.trim() !== '') {
        return this.settle(reserved, delivered, finishReason, usage, latencyMs);
      }
      if (clientLeft && delivered.trim() !== '') {
        // The client read part of the answer, then left: it pays for what it got.
        await this.settle(reserved, delivered, 'length', undefined, latencyMs, UsageStatus.ClientClosed);
        return undefined;
      }
      const reason: Exclude<CompletionResult, { outcome: 'ok' }> =
        failure ??
        (finishReason === undefined
          ? // The stream ended without saying how: a truncated answer.
            { outcome: 'upstream_error', status: undefined }
          : finishReason === 'stop' || finishReason === 'length'
            ? { outcome: 'empty' }
            : { outcome: 'bad_finish', finishReason });
      throw await this.release(reserved, this.failureOf(reason, timedOut), latencyMs);
    }).catch((error: unknown) => {
      if (!stream.opened || !(error instanceof AppError)) throw error;
      sink.fail(error.code, error.message);
      return undefined;
    });
    if (outcome !== undefined) {
      if (!stream.opened) {
        // A replay: the stored answer, sent as one delta.
        sink.open(outcome.model);
        sink.delta(outcome.content);
      }
      sink.finish(outcome);
    }
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

  /** Runs `work` once per Idempotency-Key: a replay answers the stored outcome instead. */
  private async idempotently<T extends ChatOutcome | undefined>(
    attempt: Attempt,
    streamed: boolean,
    work: () => Promise<T>,
  ): Promise<T | ChatOutcome> {
    const key = this.idempotency.parseKey(attempt.context.idempotencyKey);
    if (key === undefined) return work();
    const { user, input, price, maxTokens } = attempt;
    const scope = IDEMPOTENCY_SCOPES[input.endpoint];
    const fingerprint = this.idempotency.fingerprint({
      messages: input.messages,
      model: price.model,
      maxTokens,
      sampling: input.sampling ?? null,
      streamed,
    });
    const claim = await this.idempotency.claim(user.id, scope, key, fingerprint, this.config.holdTtlMs);
    if (claim.kind === 'replay') return claim.body as ChatOutcome;
    try {
      const outcome = await work();
      if (outcome === undefined) await this.idempotency.abandon(user.id, scope, key);
      else await this.idempotency.complete(user.id, scope, key, 200, outcome);
      return outcome;
    } catch (error) {
      await this.idempotency.abandon(user.id, scope, key);
      throw error;
    }
  }

  /** The quick read (403) and the reservation (409), one database call. */
  private async reserve(attempt: Attempt): Promise<Reserved> {
    const { user, hold } = attempt;
    const reservation = await this.credits.reserve({
      userId: user.id,
      amount: hold,
      ttlMs: this.config.holdTtlMs,
      apiKeyId: user.apiKeyId ?? null,
    });
    switch (reservation.kind) {
      case 'reserved':
        return { ...attempt, holdId: reservation.holdId };
      case 'insufficient':
        throw await this.refuse(attempt, UsageStatus.InsufficientCredits, ErrorCode.InsufficientCredits, {
          message: `This request needs up to ${hold} credits.`,
          details: { required: hold },
        });
      case 'concurrent_spend':
        throw await this.refuse(attempt, UsageStatus.ConcurrentSpend, ErrorCode.ConcurrentSpend, {
          message: 'Another request took the credits first; retry.',
        });
    }
  }

  /** Logs an attempt refused before any hold (usage row and metric), and answers the error to throw. */
  private async refuse(
    attempt: Attempt,
    status: UsageStatus,
    code: ErrorCode,
    error: { message: string; details?: Record<string, unknown> },
  ): Promise<AppError> {
    const entry = this.usageEntry(attempt, status, code);
    await this.credits.recordRefused(entry);
    this.record(entry, 0);
    return new AppError(code, error.message, error.details);
  }

  /** The attempt's metrics, once its usage row is written. */
  private record(entry: UsageEntry, credits: number): void {
    this.metrics.recordAttempt({
      endpoint: entry.endpoint,
      model: entry.model,
      status: entry.status,
      latencyMs: entry.latencyMs,
      credits,
    });
  }

  /** Charges an answer from the provider's usage (or, without it, an estimate on the safe side). */
  private async settle(
    reserved: Reserved,
    content: string,
    finishReason: 'stop' | 'length',
    reported: TokenUsage | undefined,
    latencyMs: number,
    status: UsageStatus = UsageStatus.Success,
  ): Promise<ChatOutcome> {
    const { price } = reserved;
    const usage = reported ?? this.estimateUsage(reserved, content);
    const entry = this.usageEntry(reserved, status, null, { latencyMs, ...usage });
    const settlement = await this.credits.settle(
      reserved.holdId,
      creditsFor(price, usage.promptTokens, usage.completionTokens),
      `AI request ${price.model}`,
      entry,
    );
    if (settlement === null) {
      // The sweeper released the hold first: this answer came too late to be charged.
      throw await this.release(
        reserved,
        this.failureOf({ outcome: 'aborted' }, 'answered after its hold had expired'),
        latencyMs,
      );
    }
    this.record(entry, settlement.charged);
    return {
      usageId: settlement.usageId,
      model: price.model,
      content,
      finishReason,
      usage,
      creditsCharged: settlement.charged,
      balance: settlement.available,
    };
  }

  /** Gives the whole hold back, logs the attempt, and answers the error to throw. */
  private async release(reserved: Reserved, failure: Failure, latencyMs: number): Promise<AppError> {
    const entry = this.usageEntry(reserved, failure.status, failure.code, { latencyMs });
    await this.credits.release(reserved.holdId, entry);
    this.record(entry, 0);
    return new AppError(failure.code, failure.message);
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

  /** Without reported usage, count on the safe side: the prompt's bound and one token per byte of answer. */
  private estimateUsage(attempt: Attempt, content: string): TokenUsage {
    return {
      promptTokens: promptTokenBound(attempt.input.messages),
      completionTokens: Buffer.byteLength(content, 'utf8'),
    };
  }

  private deadlineMessage(): string {
    return `did not answer within ${this.config.aiTimeoutMs} ms`;
  }

  /** `timedOut` says which limit ended the call, when one did; an abort without it is the client leaving. */
  private failureOf(result: Exclude<CompletionResult, { outcome: 'ok' }>, timedOut?: string): Failure {
    switch (result.outcome) {
      case 'aborted':
        return timedOut !== undefined
          ? {
              status: UsageStatus.Timeout,
              code: ErrorCode.AiProviderTimeout,
              message: `The AI provider ${timedOut}; you were not charged.`,
            }
          : {
              status: UsageStatus.ClientClosed,
              code: ErrorCode.AiProviderError,
              message: 'The client closed the connection; the call was abandoned and not charged.',
            };
      case 'empty':
        return {
          status: UsageStatus.EmptyResponse,
          code: ErrorCode.AiEmptyResponse,
          message: 'The AI provider answered with nothing; you were not charged.',
        };
      case 'bad_finish':
        return {
          status: UsageStatus.ProviderError,
          code: ErrorCode.AiProviderError,
          message: `The AI provider stopped with "${result.finishReason}"; you were not charged.`,
        };
      case 'upstream_error':
        return {
          status: UsageStatus.ProviderError,
          code: ErrorCode.AiProviderError,
          message: `The AI provider failed${result.status === undefined ? '' : ` (HTTP ${result.status})`}; you were not charged.`,
        };
      case 'connection_error':
        return {
          status: UsageStatus.ProviderError,
          code: ErrorCode.AiProviderError,
          message: 'The AI provider could not be reached; you were not charged.',
        };
    }
  }

  private usageEntry(
    attempt: Attempt,
    status: UsageStatus,
    errorCode: ErrorCode | null,
    measured: Partial<TokenUsage> & { latencyMs?: number } = {},
  ): UsageEntry {
    const { messages } = attempt.input;
    const prompt = messages.findLast((message) => message.role === 'user')?.content ?? '';
    return {
      userId: attempt.user.id,
      apiKeyId: attempt.user.apiKeyId ?? null,
      requestId: attempt.context.requestId,
      endpoint: attempt.input.endpoint,
      model: attempt.price.model,
      status,
      errorCode,
      promptTokens: measured.promptTokens ?? 0,
      completionTokens: measured.completionTokens ?? 0,
      latencyMs: measured.latencyMs ?? 0,
      promptChars: messages.reduce((total, message) => total + message.content.length, 0),
      promptPreview: prompt,
    };
  }
}
