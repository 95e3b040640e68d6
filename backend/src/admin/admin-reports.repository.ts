import { Injectable } from '@nestjs/common';
import { FAILURE_KINDS, type FailureKind, type StatsFigures } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';

type FiguresRow = Record<
  | 'requests'
  | 'successes'
  | 'credits_charged'
  | 'prompt_tokens'
  | 'completion_tokens'
  | 'cache_hit_tokens'
  | 'cache_miss_tokens'
  | 'reasoning_tokens',
  string
> &
  Record<FailureKind, string>;

// Composed from the constant list of failure kinds at load time, never from input.
const figures = `count(l.id) AS requests,
  count(l.id) FILTER (WHERE l.status = 'success') AS successes,
  ${FAILURE_KINDS.map((kind) => `count(l.id) FILTER (WHERE l.status = '${kind}') AS ${kind}`).join(',\n  ')},
  coalesce(sum(l.credits_charged), 0) AS credits_charged,
  coalesce(sum(l.prompt_tokens), 0) AS prompt_tokens,
  coalesce(sum(l.completion_tokens), 0) AS completion_tokens,
  coalesce(sum(l.cache_hit_tokens), 0) AS cache_hit_tokens,
  coalesce(sum(l.cache_miss_tokens), 0) AS cache_miss_tokens,
  coalesce(sum(l.reasoning_tokens), 0) AS reasoning_tokens`;

export const toFigures = (row: FiguresRow | undefined): StatsFigures => ({
  requests: Number(row?.requests ?? 0),
  successes: Number(row?.successes ?? 0),
  failures: Object.fromEntries(FAILURE_KINDS.map((kind) => [kind, Number(row?.[kind] ?? 0)])) as Record<
    FailureKind,
    number
  >,
  creditsCharged: Number(row?.credits_charged ?? 0),
  promptTokens: Number(row?.prompt_tokens ?? 0),
  completionTokens: Number(row?.completion_tokens ?? 0),
  cacheHitTokens: Number(row?.cache_hit_tokens ?? 0),
  cacheMissTokens: Number(row?.cache_miss_tokens ?? 0),
  reasoningTokens: Number(row?.reasoning_tokens ?? 0),
});

/** Aggregates over usage_logs for the admin dashboard; days are UTC days. */
@Injectable()
export class AdminReportsRepository {
  constructor(private readonly db: Database) {}

  daily(from: string, to: string): Promise<(FiguresRow & { day: string })[]> {
    return this.db.rows(
      `WITH days AS (
         SELECT generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC'),
                                date_trunc('day', ($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC'),
                                interval '1 day') AS day
       )
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day, ${figures}
         FROM days d
         LEFT JOIN usage_logs l
           ON l.created_at >= greatest(d.day AT TIME ZONE 'UTC', $1::timestamptz)
          AND l.created_at < least((d.day + interval '1 day') AT TIME ZONE 'UTC', $2::timestamptz)
        GROUP BY d.day
        ORDER BY d.day`,
      [from, to],
    );
  }

  async totals(from: string, to: string): Promise<StatsFigures> {
    const row = await this.db.first<FiguresRow>(
      `SELECT ${figures} FROM usage_logs l WHERE l.created_at >= $1::timestamptz AND l.created_at < $2::timestamptz`,
      [from, to],
    );
    return toFigures(row);
  }

  async topUsers(from: string, to: string, limit: number) {
    const rows = await this.db.rows<{ user_id: string; email: string; requests: string; credits_charged: string }>(
      `SELECT l.user_id, u.email, count(*) AS requests, coalesce(sum(l.credits_charged), 0) AS credits_charged
         FROM usage_logs l JOIN users u ON u.id = l.user_id
        WHERE l.created_at >= $1::timestamptz AND l.created_at < $2::timestamptz
        GROUP BY l.user_id, u.email
        ORDER BY credits_charged DESC, requests DESC, l.user_id
        LIMIT $3::integer`,
      [from, to, limit],
    );
    return rows.map((row) => ({
      userId: row.user_id,
      email: row.email,
      requests: Number(row.requests),
      creditsCharged: Number(row.credits_charged),
    }));
  }
}
