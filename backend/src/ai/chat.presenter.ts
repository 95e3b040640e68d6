import type { ChatOutcome } from '#src/ai/chat-outcome.js';
import type { ChatResponse, ModelView } from '#src/contract/index.js';
import type { ModelPrice } from '#src/credits/pricing.js';

const toRate = (tenThousandths: number): number => tenThousandths / 10_000;

/** A priced model as clients see it (`GET /api/ai/models`, and the admin list's common part). */
export function toModelView(price: ModelPrice, peakNow: boolean, updatedAt: Date): ModelView {
  return {
    model: price.model,
    displayName: price.displayName,
    provider: price.provider,
    requestCredits: price.requestCredits,
    inputCreditsPer1k: toRate(price.inputPer1kE4),
    cachedInputCreditsPer1k: toRate(price.cachedInputPer1kE4),
    outputCreditsPer1k: toRate(price.outputPer1kE4),
    offPeakPercent: price.offPeakPercent,
    peakNow,
    defaultOutputTokens: price.defaultOutputTokens,
    maxOutputTokens: price.maxOutputTokens,
    contextTokens: price.contextTokens,
    readsImages: price.readsImages,
    updatedAt: updatedAt.toISOString(),
  };
}

/** `POST /api/ai/chat`'s answer (docs/api.md, docs/openai-compatibility.md): the reasoning and tool calls when there are any. */
export function toChatResponse(outcome: ChatOutcome): ChatResponse {
  const { message } = outcome;
  return {
    id: outcome.usageId,
    model: outcome.model,
    answer: message.content,
    ...(message.reasoningContent === undefined ? {} : { reasoning: message.reasoningContent }),
    ...(message.toolCalls === undefined ? {} : { toolCalls: message.toolCalls }),
    finishReason: outcome.finishReason,
    usage: outcome.usage,
    creditsCharged: outcome.creditsCharged,
    balance: outcome.balance,
  };
}
