import { Inject, Injectable } from '@nestjs/common';
import { ModelsRepository } from '#src/ai/models.repository.js';
import {
  AI_PROVIDER,
  type AiProvider,
  type ChatMessage,
  type CompletionResult,
  type TokenUsage,
} from '#src/ai/providers/ai-provider.js';
import { AppError } from '#src/common/app-error.js';
import type { AuthenticatedUser } from '#src/common/auth.decorators.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { type ChatResponse, ErrorCode, type ModelView } from '#src/contract/index.js';
import { CreditsRepository } from '#src/credits/credits.repository.js';
import { creditsFor, type ModelPrice, promptTokenBound } from '#src/credits/pricing.js';
import { IdempotencyService } from '#src/idempotency/idempotency.service.js';
import { type UsageEntry, UsageStatus } from '#src/usage/usage-log.js';

const IDEMPOTENCY_SCOPE = 'POST /api/ai/chat';
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
  price: ModelPrice;
  messages: ChatMessage[];
  maxTokens: number;
  hold: number;
  context: ChatContext;
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
    private readonly credits: CreditsRepository,
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
    }));
  }

  async chat(
    user: AuthenticatedUser,
    request: { prompt: string; model?: string; maxTokens?: number },
    context: ChatContext,
  ): Promise<ChatResponse> {
    const key = this.idempotency.parseKey(context.idempotencyKey);
    const price = await this.usableModel(request.model ?? this.config.aiDefaultModel);
    const maxTokens = this.maxTokensFor(price, request.maxTokens);
    const messages: ChatMessage[] = [{ role: 'user', content: request.prompt }];
    const attempt: Attempt = {
      user,
      price,
      messages,
      maxTokens,
      hold: creditsFor(price, promptTokenBound(messages), maxTokens),
      context,
    };
    if (key === undefined) return this.run(attempt);

    const fingerprint = this.idempotency.fingerprint({ prompt: request.prompt, model: price.model, maxTokens });
    const claim = await this.idempotency.claim(user.id, IDEMPOTENCY_SCOPE, key, fingerprint, this.config.holdTtlMs);
    if (claim.kind === 'replay') return claim.body as ChatResponse;
    try {
      const response = await this.run(attempt);
      await this.idempotency.complete(user.id, IDEMPOTENCY_SCOPE, key, 200, response);
      return response;
    } catch (error) {
      await this.idempotency.abandon(user.id, IDEMPOTENCY_SCOPE, key);
      throw error;
    }
  }

  private async run(attempt: Attempt): Promise<ChatResponse> {
    const { user, price, hold, context } = attempt;
    if ((await this.credits.available(user.id)) < hold) {
      await this.credits.recordRefused(
        this.usageEntry(attempt, UsageStatus.InsufficientCredits, ErrorCode.InsufficientCredits),
      );
      throw new AppError(ErrorCode.InsufficientCredits, `This request needs up to ${hold} credits.`, {
        required: hold,
      });
    }
    const holdId = await this.credits.reserve({
      userId: user.id,
      amount: hold,
      ttlMs: this.config.holdTtlMs,
      apiKeyId: user.apiKeyId ?? null,
    });
    if (holdId === null) {
      await this.credits.recordRefused(
        this.usageEntry(attempt, UsageStatus.ConcurrentSpend, ErrorCode.ConcurrentSpend),
      );
      throw new AppError(ErrorCode.ConcurrentSpend, 'Another request took the credits first; retry.');
    }

    const deadline = AbortSignal.timeout(this.config.aiTimeoutMs);
    const started = performance.now();
    let result: CompletionResult;
    try {
      result = await this.provider.complete({
        model: price.model,
        messages: attempt.messages,
        maxTokens: attempt.maxTokens,
        signal: AbortSignal.any([deadline, context.clientGone]),
      });
    } catch (error) {
      // Providers report failures as results; should one throw anyway, its hold still goes back.
      await this.credits.release(holdId, this.usageEntry(attempt, UsageStatus.ProviderError, ErrorCode.Internal));
      throw error;
    }
    const latencyMs = Math.round(performance.now() - started);

    if (result.outcome !== 'ok') {
      const failure = this.failureOf(result, deadline.aborted);
      await this.credits.release(holdId, this.usageEntry(attempt, failure.status, failure.code, { latencyMs }));
      throw new AppError(failure.code, failure.message);
    }

    const tokens = result.usage ?? this.estimateUsage(attempt, result.content);
    const settlement = await this.credits.settle(
      holdId,
      creditsFor(price, tokens.promptTokens, tokens.completionTokens),
      `AI request ${price.model}`,
      this.usageEntry(attempt, UsageStatus.Success, null, { latencyMs, ...tokens }),
    );
    if (settlement === null) {
      // The sweeper released the hold first: this answer came too late to be charged or sent.
      await this.credits.release(
        holdId,
        this.usageEntry(attempt, UsageStatus.Timeout, ErrorCode.AiProviderTimeout, { latencyMs }),
      );
      throw new AppError(ErrorCode.AiProviderTimeout, 'The AI provider answered too late; you were not charged.');
    }
    return {
      id: settlement.usageId,
      model: price.model,
      answer: result.content,
      usage: tokens,
      creditsCharged: settlement.charged,
      balance: settlement.available,
    };
  }

  private async usableModel(model: string): Promise<ModelPrice> {
    const price = await this.models.findUsable(model, this.servedProviders());
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
    return { promptTokens: promptTokenBound(attempt.messages), completionTokens: Buffer.byteLength(content, 'utf8') };
  }

  private failureOf(result: Exclude<CompletionResult, { outcome: 'ok' }>, deadlinePassed: boolean): Failure {
    switch (result.outcome) {
      case 'aborted':
        return deadlinePassed
          ? {
              status: UsageStatus.Timeout,
              code: ErrorCode.AiProviderTimeout,
              message: `The AI provider did not answer within ${this.config.aiTimeoutMs} ms; you were not charged.`,
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
    const prompt = attempt.messages.at(-1)?.content ?? '';
    return {
      userId: attempt.user.id,
      apiKeyId: attempt.user.apiKeyId ?? null,
      requestId: attempt.context.requestId,
      endpoint: 'chat',
      model: attempt.price.model,
      status,
      errorCode,
      promptTokens: measured.promptTokens ?? 0,
      completionTokens: measured.completionTokens ?? 0,
      latencyMs: measured.latencyMs ?? 0,
      promptChars: prompt.length,
      promptPreview: prompt,
    };
  }
}
