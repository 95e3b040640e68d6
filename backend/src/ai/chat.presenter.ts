import type { ChatOutcome } from '#src/ai/chat-outcome.js';
import type { ChatResponse } from '#src/contract/index.js';

/** `POST /api/ai/chat`'s answer (SPEC §2). */
export function toChatResponse(outcome: ChatOutcome): ChatResponse {
  return {
    id: outcome.usageId,
    model: outcome.model,
    answer: outcome.content,
    usage: outcome.usage,
    creditsCharged: outcome.creditsCharged,
    balance: outcome.balance,
  };
}
