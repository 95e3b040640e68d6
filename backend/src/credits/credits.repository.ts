import { Injectable } from '@nestjs/common';
import type { SpendBudget, SpendPeriod } from '#src/contract/index.js';
import { creditsErrorFor } from '#src/credits/credits.errors.js';
import { Database, type SqlExecutor } from '#src/database/database.service.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';
import { previewOf, type UsageEntry } from '#src/usage/usage-log.js';

export interface Recharge {
  ledgerEntryId: string;
  balance: number;
  /** True when this idempotency key had already recharged: nothing was added this time. */
  replayed: boolean;
}

export type Reservation =
  | { kind: 'reserved'; holdId: string }
  /** The quick read showed too little (403). */
  | { kind: 'insufficient' }
  /** The read said enough, but a concurrent spend took the credits first (409). */
  | { kind: 'concurrent_spend' }
  /** The key's model list admits neither the model nor the model it is an alias of (403). */
  | { kind: 'model_not_allowed' }
  /** The key's budget or the user's spend limit would be passed in the current period (403). */
  | { kind: 'budget_exceeded'; limit: SpendLimitReached };

/** Which limit refused a hold, and where its period stands. */
export interface SpendLimitReached {
  scope: 'api_key' | 'user';
  budget: SpendBudget;
  /** Charged plus held in the current period, before this request. */
  spent: number;
  resetsAt: Date;
}

interface ReservationRow {
  hold_id: string | null;
  refusal: 'model_not_allowed' | 'key_budget' | 'user_budget' | 'insufficient_credits' | 'concurrent_spend' | null;
  limit_credits: string | null;
  limit_period: SpendPeriod | null;
  period_spend: string | null;
  period_end: Date | null;
}

function reservationOf(row: ReservationRow): Reservation {
  switch (row.refusal) {
    case null:
      if (row.hold_id === null) throw new Error('reserve_credits_checked answered neither a hold nor a refusal');
      return { kind: 'reserved', holdId: row.hold_id };
    case 'insufficient_credits':
      return { kind: 'insufficient' };
    case 'concurrent_spend':
      return { kind: 'concurrent_spend' };
    case 'model_not_allowed':
      return { kind: 'model_not_allowed' };
    case 'key_budget':
    case 'user_budget':
      return {
        kind: 'budget_exceeded',
        limit: {
          scope: row.refusal === 'key_budget' ? 'api_key' : 'user',
          budget: { credits: Number(row.limit_credits), period: row.limit_period ?? 'month' },
          spent: Number(row.period_spend),
          resetsAt: row.period_end ?? new Date(),
        },
      };
  }
}

export interface Settlement {
  usageId: string;
  charged: number;
  /** What the user can spend after this charge (balance − other open holds). */
  available: number;
}

interface SettlementRow {
  usage_id: string;
  charged: string;
  available: string;
}

/** Named arguments: twelve positional ones are too easy to shift by one. */
const SETTLE_HOLD_LOGGED = `
  SELECT usage_id, charged, available
    FROM settle_hold_logged(
           p_hold_id => $1::uuid, p_charge => $2::bigint, p_reason => $3::text, p_request_id => $4::text,
           p_endpoint => $5::text, p_model => $6::text, p_status => $7::text, p_prompt_tokens => $8::integer,
           p_completion_tokens => $9::integer, p_latency_ms => $10::integer, p_prompt_chars => $11::integer,
           p_prompt_preview => $12::text, p_error_code => $13::text, p_cache_hit_tokens => $14::integer,
           p_cache_miss_tokens => $15::integer, p_reasoning_tokens => $16::integer, p_peak => $17::boolean,
           p_channel => $18::text, p_attempts => $19::integer)`;

function settlementOf(row: SettlementRow | undefined): Settlement {
  if (!row) throw new Error('settle_hold_logged answered no row');
  return { usageId: row.usage_id, charged: Number(row.charged), available: Number(row.available) };
}

/**
 * The only code that moves credits: it calls the SQL functions of db/migrations (0002, 0007, 0011, 0012) and
 * turns their SQLSTATEs into domain errors. A settle or release and its usage row commit together.
 */
@Injectable()
export class CreditsRepository {
  constructor(private readonly db: Database) {}

  /**
   * The spend controls, the quick read and the reservation in one call and one transaction
   * (`reserve_credits_checked`, db/migrations/0012; docs/limits.md): the hold, or why not — the key's
   * model list, its budget or the user's spend limit, too few credits, or a concurrent spend that took
   * them between the read and the guarded UPDATE. `model` is the public model id the chat asked for.
   */
  async reserve(hold: {
    userId: string;
    amount: number;
    ttlMs: number;
    apiKeyId: string | null;
    model: string;
  }): Promise<Reservation> {
    try {
      const row = await this.db.prepared<ReservationRow>(
        'reserve-credits-checked',
        `SELECT hold_id, refusal, limit_credits, limit_period, period_spend, period_end
           FROM reserve_credits_checked($1::uuid, $2::bigint, $3::integer, $4::uuid, $5::text)`,
        [hold.userId, hold.amount, hold.ttlMs, hold.apiKeyId, hold.model],
      );
      if (!row) throw new Error('reserve_credits_checked answered no row');
      return reservationOf(row);
    } catch (error) {
      throw creditsErrorFor(error) ?? error;
    }
  }

  /**
   * Charges min(charge, hold), frees the rest, and logs the attempt, in one call and one transaction
   * (`settle_hold_logged`). `alsoInTransaction` runs inside that transaction (storing an idempotent
   * answer with its charge). Null when the hold is no longer open because the sweeper expired it:
   * nothing was charged or logged. Safe to call again for a hold it settled (a retry whose commit
   * went unheard): it answers that settlement and charges nothing more.
   */
  async settle(
    holdId: string,
    charge: number,
    reason: string,
    usage: UsageEntry,
    alsoInTransaction?: (tx: SqlExecutor, settlement: Settlement) => Promise<void>,
  ): Promise<Settlement | null> {
    const parameters = [
      holdId,
      charge,
      reason,
      usage.requestId,
      usage.endpoint,
      usage.model,
      usage.status,
      usage.promptTokens,
      usage.completionTokens,
      usage.latencyMs,
      usage.promptChars,
      previewOf(usage),
      usage.errorCode,
      usage.cacheHitTokens,
      usage.cacheMissTokens,
      usage.reasoningTokens,
      usage.peak,
      usage.channel,
      usage.attempts,
    ];
    try {
      if (alsoInTransaction === undefined) {
        return settlementOf(
          await this.db.prepared<SettlementRow>('settle-hold-logged', SETTLE_HOLD_LOGGED, parameters),
        );
      }
      return await this.db.transaction(async (tx) => {
        const settlement = settlementOf(await tx.first<SettlementRow>(SETTLE_HOLD_LOGGED, parameters));
        await alsoInTransaction(tx, settlement);
        return settlement;
      });
    } catch (error) {
      if (sqlStateOf(error) === SqlState.HoldNotOpen) return null;
      throw error;
    }
  }

  /** Frees the whole hold and logs the attempt with 0 credits, in one call (`release_hold_logged`). */
  async release(holdId: string, usage: UsageEntry): Promise<string> {
    const row = await this.db.first<{ usage_id: string }>(
      `SELECT release_hold_logged(
                p_hold_id => $1::uuid, p_request_id => $2::text, p_endpoint => $3::text, p_model => $4::text,
                p_status => $5::text, p_error_code => $6::text, p_prompt_tokens => $7::integer,
                p_completion_tokens => $8::integer, p_latency_ms => $9::integer, p_prompt_chars => $10::integer,
                p_prompt_preview => $11::text, p_peak => $12::boolean, p_channel => $13::text,
                p_attempts => $14::integer) AS usage_id`,
      [
        holdId,
        usage.requestId,
        usage.endpoint,
        usage.model,
        usage.status,
        usage.errorCode,
        usage.promptTokens,
        usage.completionTokens,
        usage.latencyMs,
        usage.promptChars,
        previewOf(usage),
        usage.peak,
        usage.channel,
        usage.attempts,
      ],
    );
    if (!row) throw new Error('release_hold_logged answered no row');
    return row.usage_id;
  }

  /** Logs an attempt refused before any hold (too few credits, a lost race): no hold, no charge. */
  async recordRefused(usage: UsageEntry): Promise<string> {
    const row = await this.db.first<{ id: string }>(
      `INSERT INTO usage_logs (user_id, api_key_id, request_id, endpoint, model, status, error_code, credits_charged,
                               prompt_tokens, completion_tokens, latency_ms, prompt_chars, prompt_preview, peak)
       VALUES ($1::uuid, $2::uuid, $3::text, $4::text, $5::text, $6::text, $7::text, 0,
               $8::integer, $9::integer, $10::integer, $11::integer, $12::text, $13::boolean)
       RETURNING id`,
      [
        usage.userId,
        usage.apiKeyId,
        usage.requestId,
        usage.endpoint,
        usage.model,
        usage.status,
        usage.errorCode,
        usage.promptTokens,
        usage.completionTokens,
        usage.latencyMs,
        usage.promptChars,
        previewOf(usage),
        usage.peak,
      ],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return row.id;
  }

  /**
   * Recharge through `admin_add_credits`, which verifies the admin's access token and reads the
   * role itself: neither a bypassed route guard nor the runtime role on its own can mint credits.
   * The same (admin, key) adds once.
   */
  async addCredits(recharge: {
    adminToken: string;
    userId: string;
    amount: number;
    reason: string;
    idempotencyKey: string | null;
  }): Promise<Recharge> {
    try {
      const row = await this.db.first<{ ledger_entry_id: string; balance: string; replayed: boolean }>(
        `SELECT ledger_entry_id, balance, replayed
           FROM admin_add_credits(p_actor_token => $1::text, p_user_id => $2::uuid, p_amount => $3::bigint,
                                  p_reason => $4::text, p_idempotency_key => $5::text)`,
        [recharge.adminToken, recharge.userId, recharge.amount, recharge.reason, recharge.idempotencyKey],
      );
      if (!row) throw new Error('admin_add_credits answered no row');
      return { ledgerEntryId: row.ledger_entry_id, balance: Number(row.balance), replayed: row.replayed };
    } catch (error) {
      throw creditsErrorFor(error) ?? error;
    }
  }

  /** Holds open now: calls in flight, or left by dead ones until they expire (a metric). */
  async countOpenHolds(): Promise<number> {
    const row = await this.db.first<{ open: number }>(
      `SELECT count(*)::int AS open FROM credit_holds WHERE status = 'open'`,
    );
    return row?.open ?? 0;
  }

  /** Releases up to `limit` expired holds; safe with several sweepers at once (SKIP LOCKED). */
  async expireHolds(limit: number): Promise<number> {
    const row = await this.db.first<{ expired: number }>('SELECT expire_holds($1::integer) AS expired', [limit]);
    return row?.expired ?? 0;
  }
}
