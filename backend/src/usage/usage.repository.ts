import { Injectable } from '@nestjs/common';
import type { AdminUsageItem, UsageItem, UsageStatusName } from '#src/contract/index.js';
import type { SqlExecutor } from '#src/database/database.service.js';

export interface UsageFilter {
  userId?: string;
  status?: UsageStatusName;
  model?: string;
  from?: string;
  to?: string;
  /** Rows strictly after this (created_at, id) in the list's newest-first order. */
  after?: { createdAt: string; id: string };
  limit: number;
}

export interface UsageRow {
  id: string;
  user_id: string;
  email: string;
  model: string;
  status: UsageStatusName;
  endpoint: 'chat' | 'openai';
  error_code: string | null;
  credits_charged: string;
  prompt_tokens: number;
  completion_tokens: number;
  cache_hit_tokens: number;
  cache_miss_tokens: number;
  reasoning_tokens: number;
  peak: boolean | null;
  latency_ms: number;
  channel: string | null;
  attempts: number;
  created_at: Date;
  /** created_at to the microsecond, for the keyset cursor. */
  cursor_at: string;
}

export const toUsageItem = (row: UsageRow): UsageItem => ({
  id: row.id,
  model: row.model,
  status: row.status,
  endpoint: row.endpoint,
  errorCode: row.error_code,
  creditsCharged: Number(row.credits_charged),
  promptTokens: row.prompt_tokens,
  completionTokens: row.completion_tokens,
  cacheHitTokens: row.cache_hit_tokens,
  cacheMissTokens: row.cache_miss_tokens,
  reasoningTokens: row.reasoning_tokens,
  peak: row.peak,
  latencyMs: row.latency_ms,
  channel: row.channel,
  attempts: row.attempts,
  createdAt: row.created_at.toISOString(),
});

export const toAdminUsageItem = (row: UsageRow): AdminUsageItem => ({
  ...toUsageItem(row),
  userId: row.user_id,
  email: row.email,
});

/** Usage rows, newest first, filtered; the caller's executor decides whose rows are visible. */
@Injectable()
export class UsageRepository {
  page(sql: SqlExecutor, filter: UsageFilter): Promise<UsageRow[]> {
    return sql.rows<UsageRow>(
      `SELECT l.id, l.user_id, u.email, l.model, l.status, l.endpoint, l.error_code, l.credits_charged,
              l.prompt_tokens, l.completion_tokens, l.cache_hit_tokens, l.cache_miss_tokens, l.reasoning_tokens, l.peak,
              l.latency_ms, l.channel, l.attempts, l.created_at,
              to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
         FROM usage_logs l JOIN users u ON u.id = l.user_id
        WHERE ($1::uuid IS NULL OR l.user_id = $1::uuid)
          AND ($2::text IS NULL OR l.status = $2::text)
          AND ($3::text IS NULL OR l.model = $3::text)
          AND ($4::timestamptz IS NULL OR l.created_at >= $4::timestamptz)
          AND ($5::timestamptz IS NULL OR l.created_at < $5::timestamptz)
          AND ($6::timestamptz IS NULL OR (l.created_at, l.id) < ($6::timestamptz, $7::uuid))
        ORDER BY l.created_at DESC, l.id DESC
        LIMIT $8::integer`,
      [
        filter.userId ?? null,
        filter.status ?? null,
        filter.model ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.after?.createdAt ?? null,
        filter.after?.id ?? null,
        filter.limit,
      ],
    );
  }
}
