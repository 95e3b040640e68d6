import { FAILURE_KINDS, type FailureKind, type StatsFigures } from '#src/contract/index.js';

/** One row of `usageFigures`: PostgreSQL returns counts and sums of bigint as text. */
export type FiguresRow = Record<
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

/**
 * The select list that sums usage rows (aliased `l`) into `StatsFigures`: the admin dashboard's and
 * a user's own stats use the same one. Composed from the constant list of failure kinds at load time,
 * never from input.
 */
export const usageFigures = `count(l.id) AS requests,
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

/**
 * The per-UTC-day rows of the range `$1` (inclusive) to `$2` (exclusive), empty days included:
 * `usageFigures` over the usage rows (aliased `l`) that `rowFilter` also admits — a constant SQL
 * condition written by the caller (`true` for everyone's, `l.user_id = $3::uuid` for one user's).
 */
export const dailyFiguresSql = (rowFilter: string): string => `WITH days AS (
         SELECT generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC'),
                                date_trunc('day', ($2::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC'),
                                interval '1 day') AS day
       )
       SELECT to_char(d.day, 'YYYY-MM-DD') AS day, ${usageFigures}
         FROM days d
         LEFT JOIN usage_logs l
           ON l.created_at >= greatest(d.day AT TIME ZONE 'UTC', $1::timestamptz)
          AND l.created_at < least((d.day + interval '1 day') AT TIME ZONE 'UTC', $2::timestamptz)
          AND ${rowFilter}
        GROUP BY d.day
        ORDER BY d.day`;
