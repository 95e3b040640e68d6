import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type Failure, failureMessage } from '#src/ai/chat-failures.js';
import { type ChatInput, type ChatOutcome, textOf } from '#src/ai/chat-outcome.js';
import type { AssistantMessage, FinishReason, ReportedUsage, TokenUsage } from '#src/ai/providers/ai-provider.js';
import { AppError } from '#src/common/app-error.js';
import type { AuthenticatedUser } from '#src/common/auth.decorators.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { ErrorCode } from '#src/contract/index.js';
import { CreditsRepository, type Settlement } from '#src/credits/credits.repository.js';
import { creditsFor, type ModelPrice } from '#src/credits/pricing.js';
import type { SqlExecutor } from '#src/database/database.service.js';
import { isTransientDatabaseError } from '#src/database/sql-state.js';
import { IdempotencyRepository, type IdempotencySlot } from '#src/idempotency/idempotency.repository.js';
import type { KeepsIdempotencyKey } from '#src/idempotency/idempotency.service.js';
import { MetricsService } from '#src/metrics/metrics.service.js';
import { type UsageEntry, UsageStatus } from '#src/usage/usage-log.js';

export interface ChatContext {
  requestId: string;
  /** Fires when the client disconnects: the upstream call is abandoned. */
  clientGone: AbortSignal;
  idempotencyKey?: string;
}

/** One chat, validated and priced at its worst case. */
export interface Attempt {
  user: AuthenticatedUser;
  input: ChatInput;
  price: ModelPrice;
  /** Whether the peak rates were in force when the attempt was priced; hold and charge both use them. */
  peak: boolean;
  /** 100 at peak, the model's off-peak percentage otherwise. */
  ratePercent: number;
  /** The prompt's token bound (`promptTokenBound`), also the safe-side count when no usage comes back. */
  promptBound: number;
  maxTokens: number;
  hold: number;
  context: ChatContext;
}

/** A reserved attempt: the provider may be called now. */
export interface Reserved extends Attempt {
  holdId: string;
  /** When the hold was made (ms since the epoch); it expires `holdTtlMs` later. */
  reservedAt: number;
}

/** What to charge for: an answer, or the part of one that reached the client. */
export interface Answer {
  message: AssistantMessage;
  finishReason: FinishReason;
  /** The provider's count; without one (or a nonsensical one), a safe-side estimate is charged. */
  usage: ReportedUsage | undefined;
  logprobs?: unknown;
}

/** How a request's upstream calls went (docs/channels.md), for its usage row. */
export interface CallReport {
  latencyMs: number;
  /** The channel that answered or last failed; null when none was called. */
  channel: string | null;
  attempts: number;
}

export interface SettleOptions {
  call: CallReport;
  /** Where to store the answer for replays, in the transaction that charges for it. */
  slot: IdempotencySlot | undefined;
  /** True when the content already reached the client (a stream): the charge must not be lost. */
  delivered: boolean;
  /** How the attempt ended, when it was not a whole answer (a stream cut after content). */
  failure?: Failure;
}

/** An attempt refused before any upstream call. */
export const NO_CALL: CallReport = { latencyMs: 0, channel: null, attempts: 0 };

/** Waits between the attempts of a settle that met a transient database error. */
const SETTLE_RETRY_DELAYS_MS = [50, 200, 800] as const;
/** A late settle gives up this long before the hold would expire, so the sweeper never races it. */
const LATE_SETTLE_MARGIN_MS = 5_000;

/**
 * Delivered content whose charge could not be written yet: it is being retried in the background,
 * and the key stays taken so that a retried request cannot be charged a second time.
 */
export class DeferredChargeError extends AppError implements KeepsIdempotencyKey {
  readonly keepsIdempotencyKey = true;

  constructor() {
    super(
      ErrorCode.ServiceUnavailable,
      'The answer was delivered but its charge could not be recorded yet; it will be recorded shortly.',
    );
  }
}

/**
 * The billing steps of one chat (docs/billing.md): reserve, then settle or release, each with exactly one
 * usage row and the attempt's metrics; and refuse, for attempts that never got a hold.
 */
@Injectable()
export class ChatBilling implements OnModuleDestroy {
  private readonly logger = new Logger(ChatBilling.name);
  /** Cancels the late settles still waiting when the process stops. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly config: AppConfigService,
    private readonly credits: CreditsRepository,
    private readonly idempotencyRecords: IdempotencyRepository,
    private readonly metrics: MetricsService,
  ) {}

  onModuleDestroy(): void {
    this.stopping.abort();
  }

  /**
   * The spend controls (403 MODEL_NOT_ALLOWED, BUDGET_EXCEEDED; docs/limits.md), the quick read (403)
   * and the reservation (409), one database call.
   */
  async reserve(attempt: Attempt): Promise<Reserved> {
    const { user, hold } = attempt;
    const reservedAt = Date.now();
    const reservation = await this.credits.reserve({
      userId: user.id,
      amount: hold,
      ttlMs: this.config.holdTtlMs,
      apiKeyId: user.apiKeyId ?? null,
      model: attempt.price.model,
    });
    switch (reservation.kind) {
      case 'reserved':
        return { ...attempt, holdId: reservation.holdId, reservedAt };
      case 'model_not_allowed':
        throw await this.refuse(attempt, UsageStatus.ModelNotAllowed, ErrorCode.ModelNotAllowed, {
          message: `This API key may not use ${attempt.price.model}.`,
          details: { model: attempt.price.model },
        });
      case 'budget_exceeded': {
        const { scope, budget, spent, resetsAt } = reservation.limit;
        const whose = scope === 'api_key' ? "This API key's budget" : 'Your spend limit';
        throw await this.refuse(attempt, UsageStatus.BudgetExceeded, ErrorCode.BudgetExceeded, {
          message: `${whose} of ${budget.credits} credits a ${budget.period} would be passed: ${spent} spent, this request needs up to ${hold}. It resets at ${resetsAt.toISOString()}.`,
          details: { limit: scope, budget, spent, required: hold, resetsAt: resetsAt.toISOString() },
        });
      }
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

  /**
   * Charges for `answer` (the provider's usage at the hold's rates, never above the hold) and logs
   * it. A transient database error is retried a few times; if the charge still cannot be written,
   * content that was not delivered is simply not delivered (the error goes to the client and the
   * hold expires), while delivered content keeps being retried in the background until shortly
   * before its hold expires (docs/billing.md, "When the charge cannot be written").
   */
  async settle(reserved: Reserved, answer: Answer, options: SettleOptions): Promise<ChatOutcome> {
    const { price } = reserved;
    const usage = this.usableUsage(reserved, answer) ?? this.estimateUsage(reserved, answer.message);
    const status = options.failure?.status ?? UsageStatus.Success;
    const entry = this.usageEntry(reserved, status, options.failure?.code ?? null, options.call, usage);
    const charge = creditsFor(
      price,
      { cacheHit: usage.cacheHitTokens, cacheMiss: usage.cacheMissTokens, completion: usage.completionTokens },
      reserved.ratePercent,
    );
    const outcomeOf = (settlement: Settlement): ChatOutcome => ({
      usageId: settlement.usageId,
      model: price.model,
      message: answer.message,
      finishReason: answer.finishReason,
      usage,
      ...(answer.usage === undefined ? {} : { upstreamUsage: answer.usage.raw }),
      ...(answer.logprobs === undefined ? {} : { logprobs: answer.logprobs }),
      creditsCharged: settlement.charged,
      balance: settlement.available,
    });
    const { slot } = options;
    const storeAnswer =
      slot === undefined
        ? undefined
        : (tx: SqlExecutor, settlement: Settlement) =>
            this.idempotencyRecords.complete(slot, 200, JSON.stringify(outcomeOf(settlement)), tx);
    const write = () => this.credits.settle(reserved.holdId, charge, `AI request ${price.model}`, entry, storeAnswer);

    let settlement: Settlement | null;
    try {
      settlement = await this.withRetries(write);
    } catch (error) {
      if (!options.delivered) {
        await this.releaseAfterFailedSettle(reserved, options.call);
        if (!isTransientDatabaseError(error)) throw error;
        throw new AppError(
          ErrorCode.ServiceUnavailable,
          'The answer could not be billed, so it was not delivered; you were not charged. Retry shortly.',
        );
      }
      this.settleLate(reserved, write, entry, error);
      throw new DeferredChargeError();
    }
    if (settlement === null) {
      // The sweeper released the hold first: this answer came too late to be charged.
      throw await this.release(
        reserved,
        {
          status: UsageStatus.Timeout,
          code: ErrorCode.AiProviderTimeout,
          cause: 'The AI provider answered after the request had expired',
        },
        options.call,
      );
    }
    this.record(entry, settlement.charged);
    return outcomeOf(settlement);
  }

  /** Gives the whole hold back, logs the attempt, and answers the error to throw. */
  async release(reserved: Reserved, failure: Failure, call: CallReport): Promise<AppError> {
    const entry = this.usageEntry(reserved, failure.status, failure.code, call);
    await this.credits.release(reserved.holdId, entry);
    this.record(entry, 0);
    return new AppError(failure.code, failureMessage(failure, 0));
  }

  /** Logs an attempt refused before any hold (usage row and metric), and answers the error to throw. */
  async refuse(
    attempt: Attempt,
    status: UsageStatus,
    code: ErrorCode,
    error: { message: string; details?: Record<string, unknown> },
  ): Promise<AppError> {
    const entry = this.usageEntry(attempt, status, code, NO_CALL);
    await this.credits.recordRefused(entry);
    this.record(entry, 0);
    return new AppError(code, error.message, error.details);
  }

  /** Runs `write` again after a transient database error, a bounded number of times. */
  private async withRetries<T>(write: () => Promise<T>): Promise<T> {
    for (const delayMs of SETTLE_RETRY_DELAYS_MS) {
      try {
        return await write();
      } catch (error) {
        if (!isTransientDatabaseError(error)) throw error;
        await sleep(delayMs);
      }
    }
    return write();
  }

  /**
   * The charge for delivered content, retried with doubling waits until shortly before the hold
   * expires. The hold's expiry would otherwise give the answer away; a process that dies meanwhile
   * does too (docs/billing.md says what that costs and why it is accepted).
   */
  private settleLate(
    reserved: Reserved,
    write: () => Promise<Settlement | null>,
    entry: UsageEntry,
    first: unknown,
  ): void {
    const giveUpAt = reserved.reservedAt + this.config.holdTtlMs - LATE_SETTLE_MARGIN_MS;
    const hold = { holdId: reserved.holdId, requestId: reserved.context.requestId };
    this.logger.warn(
      { ...hold, sqlState: codeOf(first) },
      'Settling delivered content failed; retrying in the background',
    );
    const retry = async (): Promise<void> => {
      for (let waitMs = 1_000; Date.now() + waitMs < giveUpAt; waitMs = Math.min(waitMs * 2, 8_000)) {
        await sleep(waitMs, undefined, { signal: this.stopping.signal });
        try {
          const settlement = await write();
          if (settlement !== null) this.record(entry, settlement.charged);
          this.logger.log({ ...hold, charged: settlement?.charged ?? 0 }, 'Delivered content settled late');
          return;
        } catch (error) {
          this.logger.warn({ ...hold, sqlState: codeOf(error) }, 'Late settle failed; retrying');
        }
      }
      throw new Error('gave up');
    };
    retry().catch(() => {
      this.logger.error(hold, 'Delivered content could not be charged before its hold expired');
    });
  }

  /** The answer never reached the client: give the hold back now if the database lets us. */
  private async releaseAfterFailedSettle(reserved: Reserved, call: CallReport): Promise<void> {
    const failure: Failure = {
      status: UsageStatus.ProviderError,
      code: ErrorCode.ServiceUnavailable,
      cause: 'The answer could not be billed',
    };
    try {
      await this.release(reserved, failure, call);
    } catch {
      // The hold expires and the sweeper gives it back.
    }
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

  /**
   * The provider's usage, unless it says no output was made while output was delivered: a count that
   * low would charge only the request credits (0 for DeepSeek's models). Treated as none, once logged.
   */
  private usableUsage(attempt: Attempt, answer: Answer): TokenUsage | undefined {
    const reported = answer.usage?.usage;
    if (reported === undefined || reported.completionTokens > 0) return reported;
    const { message } = answer;
    const output =
      message.content.trim() !== '' || (message.reasoningContent ?? '') !== '' || message.toolCalls !== undefined;
    if (!output) return reported;
    this.logger.warn(
      { model: attempt.price.model, requestId: attempt.context.requestId },
      'The AI provider reported no output tokens for an answer with output; charging the safe-side estimate instead',
    );
    return undefined;
  }

  /**
   * Without usable reported usage, count on the safe side: the prompt's bound, all of it a cache miss,
   * and one token per byte of everything that was output (content, reasoning, tool calls).
   */
  private estimateUsage(attempt: Attempt, message: AssistantMessage): TokenUsage {
    const reasoningTokens = Buffer.byteLength(message.reasoningContent ?? '', 'utf8');
    const output =
      Buffer.byteLength(message.content, 'utf8') +
      reasoningTokens +
      (message.toolCalls === undefined ? 0 : Buffer.byteLength(JSON.stringify(message.toolCalls), 'utf8'));
    return {
      promptTokens: attempt.promptBound,
      completionTokens: output,
      cacheHitTokens: 0,
      cacheMissTokens: attempt.promptBound,
      reasoningTokens,
    };
  }

  private usageEntry(
    attempt: Attempt,
    status: UsageStatus,
    errorCode: ErrorCode | null,
    call: CallReport,
    measured: Partial<TokenUsage> = {},
  ): UsageEntry {
    const { messages } = attempt.input;
    const prompt = textOf(messages.findLast((message) => message.role === 'user')?.content);
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
      cacheHitTokens: measured.cacheHitTokens ?? 0,
      cacheMissTokens: measured.cacheMissTokens ?? 0,
      reasoningTokens: measured.reasoningTokens ?? 0,
      peak: attempt.peak,
      latencyMs: call.latencyMs,
      channel: call.channel,
      attempts: call.attempts,
      promptChars: messages.reduce((total, message) => total + textOf(message.content).length, 0),
      promptPreview: prompt,
    };
  }
}

/** A database error's SQLSTATE or network code, for a log line that carries no content. */
function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
