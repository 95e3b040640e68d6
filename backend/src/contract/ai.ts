/** `POST /api/ai/chat` answer (SPEC §2). `balance` is what the user can spend afterwards. */
export interface ChatResponse {
  id: string;
  model: string;
  answer: string;
  usage: { promptTokens: number; completionTokens: number };
  creditsCharged: number;
  balance: number;
}

/** A model that can be used now, with its price (credits; per-1k rates may be fractional). */
export interface ModelView {
  model: string;
  displayName: string;
  provider: 'deepseek' | 'demo';
  requestCredits: number;
  inputCreditsPer1k: number;
  outputCreditsPer1k: number;
  maxOutputTokens: number;
  contextTokens: number;
  /** When the price last changed (ISO 8601). */
  updatedAt: string;
}

export const PROMPT_MAX_CHARS = 8000;
