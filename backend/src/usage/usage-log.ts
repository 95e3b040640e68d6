export const UsageStatus = {
  Success: 'success',
  ProviderError: 'provider_error',
  Timeout: 'timeout',
  EmptyResponse: 'empty_response',
  ClientClosed: 'client_closed',
  InsufficientCredits: 'insufficient_credits',
  ConcurrentSpend: 'concurrent_spend',
} as const;

export type UsageStatus = (typeof UsageStatus)[keyof typeof UsageStatus];

/** One AI attempt as logged; the prompt only as its length and a short preview, never a key. */
export interface UsageEntry {
  userId: string;
  apiKeyId: string | null;
  requestId: string;
  endpoint: 'chat' | 'openai';
  model: string;
  status: UsageStatus;
  errorCode: string | null;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  promptChars: number;
  promptPreview: string;
}

export const PROMPT_PREVIEW_CHARS = 60;

/** The logged start of the prompt. */
export function previewOf(entry: UsageEntry): string {
  return entry.promptPreview.slice(0, PROMPT_PREVIEW_CHARS);
}
