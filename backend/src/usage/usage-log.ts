import { toStorableText } from '#src/common/validators.js';
import { UsageStatus, type UsageStatusName } from '#src/contract/index.js';

// The one list lives in the contract, shared with the console.
export { UsageStatus };
export type UsageStatus = UsageStatusName;

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
  cacheHitTokens: number;
  cacheMissTokens: number;
  /** Included in `completionTokens`. */
  reasoningTokens: number;
  /** Whether the attempt was priced at the peak rates. */
  peak: boolean;
  latencyMs: number;
  /** The channel that answered or last failed; null when none was called (refused, demo mode). */
  channel: string | null;
  /** Upstream calls made for the request (failover makes more than one). */
  attempts: number;
  promptChars: number;
  promptPreview: string;
}

export const PROMPT_PREVIEW_CHARS = 60;

/**
 * The logged start of the prompt, storable whatever the prompt holds (`toStorableText`: U+0000 and
 * unpaired surrogates become U+FFFD). Only the preview is lossy; the prompt itself goes upstream as
 * the client sent it.
 */
export function previewOf(entry: UsageEntry): string {
  return toStorableText(entry.promptPreview.slice(0, PROMPT_PREVIEW_CHARS));
}
