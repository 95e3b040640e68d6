import { Injectable } from '@nestjs/common';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';
import { insertUsage, type UsageEntry } from '#src/usage/usage-log.js';

export interface Recharge {
  ledgerEntryId: string;
  balance: number;
  /** True when this idempotency key had already recharged: nothing was added this time. */
  replayed: boolean;
}

export interface Settlement {
  usageId: string;
  charged: number;
  /** What the user can spend after this charge (balance − other open holds). */
  available: number;
}

/**
 * The only code that moves credits: it calls the SQL functions of db/migrations/0002 and turns their
 * SQLSTATEs into domain errors. A settle or release and its usage row commit together.
 */
@Injectable()
export class CreditsRepository {
  constructor(private readonly db: Database) {}

  async available(userId: string): Promise<number> {
    const row = await this.db.first<{ available: string }>(
      'SELECT balance - held AS available FROM credit_accounts WHERE user_id = $1::uuid',
      [userId],
    );
    return row ? Number(row.available) : 0;
  }

  /** The hold's id, or null when the user no longer has `amount` available (a concurrent spend won). */
  async reserve(hold: {
    userId: string;
    amount: number;
    ttlMs: number;
    apiKeyId: string | null;
  }): Promise<string | null> {
    try {
      const row = await this.db.first<{ hold_id: string | null }>(
        'SELECT reserve_credits($1::uuid, $2::bigint, $3::integer, $4::uuid) AS hold_id',
        [hold.userId, hold.amount, hold.ttlMs, hold.apiKeyId],
      );
      return row?.hold_id ?? null;
    } catch (error) {
      switch (sqlStateOf(error)) {
        case SqlState.ApiKeyCreditLimit:
          throw new AppError(ErrorCode.InsufficientCredits, "This API key's credit limit is reached.");
        case SqlState.ApiKeyRevoked:
          throw new AppError(ErrorCode.Unauthenticated, 'The API key is invalid or revoked.');
        default:
          throw error;
      }
    }
  }

  /**
   * Charges min(charge, hold), frees the rest, and logs the attempt, in one transaction. Null when
   * the hold is no longer open (the sweeper expired it): nothing was charged or logged.
   */
  async settle(holdId: string, charge: number, reason: string, usage: UsageEntry): Promise<Settlement | null> {
    try {
      return await this.settleOpenHold(holdId, charge, reason, usage);
    } catch (error) {
      if (sqlStateOf(error) === SqlState.HoldNotOpen) return null;
      throw error;
    }
  }

  private settleOpenHold(holdId: string, charge: number, reason: string, usage: UsageEntry): Promise<Settlement> {
    return this.db.transaction(async (tx) => {
      const settled = await tx.first<{ ledger_entry_id: string | null; charged: string }>(
        'SELECT ledger_entry_id, charged FROM settle_hold($1::uuid, $2::bigint, $3::text)',
        [holdId, charge, reason],
      );
      if (!settled) throw new Error('settle_hold answered no row');
      const charged = Number(settled.charged);
      const usageId = await insertUsage(tx, usage, {
        holdId,
        ledgerEntryId: settled.ledger_entry_id,
        credits: charged,
      });
      const account = await tx.first<{ available: string }>(
        'SELECT balance - held AS available FROM credit_accounts WHERE user_id = $1::uuid',
        [usage.userId],
      );
      return { usageId, charged, available: Number(account?.available ?? 0) };
    });
  }

  /** Frees the whole hold and logs the attempt with 0 credits, in one transaction. */
  async release(holdId: string, usage: UsageEntry): Promise<string> {
    return this.db.transaction(async (tx) => {
      await tx.first('SELECT release_hold($1::uuid)', [holdId]);
      return insertUsage(tx, usage, { holdId, ledgerEntryId: null, credits: 0 });
    });
  }

  /** Logs an attempt refused before any hold (too few credits, a lost race). */
  recordRefused(usage: UsageEntry): Promise<string> {
    return insertUsage(this.db, usage, { holdId: null, ledgerEntryId: null, credits: 0 });
  }

  /**
   * Recharge through `admin_add_credits`, which checks the actor's admin role itself (a bypassed
   * route guard still cannot mint credits). The same (actor, key) adds once.
   */
  async addCredits(recharge: {
    actorId: string;
    userId: string;
    amount: number;
    reason: string;
    idempotencyKey: string | null;
  }): Promise<Recharge> {
    try {
      const row = await this.db.first<{ ledger_entry_id: string; balance: string; replayed: boolean }>(
        'SELECT ledger_entry_id, balance, replayed FROM admin_add_credits($1::uuid, $2::uuid, $3::bigint, $4::text, $5::text)',
        [recharge.actorId, recharge.userId, recharge.amount, recharge.reason, recharge.idempotencyKey],
      );
      if (!row) throw new Error('admin_add_credits answered no row');
      return { ledgerEntryId: row.ledger_entry_id, balance: Number(row.balance), replayed: row.replayed };
    } catch (error) {
      switch (sqlStateOf(error)) {
        case SqlState.InsufficientPrivilege:
          throw new AppError(ErrorCode.Forbidden, 'Only an admin can add credits.');
        case SqlState.NoDataFound:
          throw new AppError(ErrorCode.NotFound, 'No such user.');
        case SqlState.InvalidParameterValue:
          throw new AppError(ErrorCode.ValidationFailed, 'The recharge is not valid: amount 1–1,000,000 and a reason.');
        case SqlState.IdempotencyKeyReused:
          throw new AppError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another recharge.');
        default:
          throw error;
      }
    }
  }

  /** Releases up to `limit` expired holds; safe with several sweepers at once (SKIP LOCKED). */
  async expireHolds(limit: number): Promise<number> {
    const row = await this.db.first<{ expired: number }>('SELECT expire_holds($1::integer) AS expired', [limit]);
    return row?.expired ?? 0;
  }
}
