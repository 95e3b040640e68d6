import type { ChatOutcome } from '#src/ai/chat-outcome.js';
import type { ChatResponse } from '#src/contract/index.js';

/** `POST /api/ai/chat`'s answer (SPEC §2, §5): the reasoning and tool calls when there are any. */
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
