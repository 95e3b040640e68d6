import type { SqlExecutor } from '#src/database/database.service.js';

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

/** Inserts the usage row; `charge` ties it to its hold and, when charged, its ledger row. */
export async function insertUsage(
  sql: SqlExecutor,
  entry: UsageEntry,
  charge: { holdId: string | null; ledgerEntryId: string | null; credits: number },
): Promise<string> {
  const row = await sql.first<{ id: string }>(
    `INSERT INTO usage_logs (user_id, api_key_id, hold_id, ledger_entry_id, request_id, endpoint, model, status,
                             error_code, credits_charged, prompt_tokens, completion_tokens, latency_ms,
                             prompt_chars, prompt_preview)
     VALUES ($1::uuid, $2::uuid, $3::uuid, $4::bigint, $5::text, $6::text, $7::text, $8::text,
             $9::text, $10::bigint, $11::integer, $12::integer, $13::integer, $14::integer, $15::text)
     RETURNING id`,
    [
      entry.userId,
      entry.apiKeyId,
      charge.holdId,
      charge.ledgerEntryId,
      entry.requestId,
      entry.endpoint,
      entry.model,
      entry.status,
      entry.errorCode,
      charge.credits,
      entry.promptTokens,
      entry.completionTokens,
      entry.latencyMs,
      entry.promptChars,
      previewOf(entry),
    ],
  );
  if (!row) throw new Error('INSERT … RETURNING answered no row');
  return row.id;
}
