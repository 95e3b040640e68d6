import { Injectable } from '@nestjs/common';
import { Database, type SqlExecutor } from '#src/database/database.service.js';

/** Who asked, under which key: the primary key of an idempotency record. */
export interface IdempotencySlot {
  userId: string;
  scope: string;
  key: string;
}

export interface IdempotencyRecord {
  requestHash: Buffer;
  status: 'in_progress' | 'completed';
  responseStatus: number | null;
  /** The stored answer, exactly as `complete` was given it (JSON text, never re-encoded). */
  responseBody: string | null;
}

/** The only code that reads or writes `idempotency_records`. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /**
   * Takes the key for this request: a new record, or one whose 24 h have passed, or one whose
   * request crashed (lease over) with the same body. False when another request holds it or it
   * already has an answer.
   */
  async claim(slot: IdempotencySlot, requestHash: Buffer, leaseMs: number): Promise<boolean> {
    const row = await this.db.first<{ claimed: boolean }>(
      `INSERT INTO idempotency_records (user_id, scope, key, request_hash, locked_until)
       VALUES ($1::uuid, $2::text, $3::text, $4::bytea, now() + make_interval(secs => $5::integer / 1000.0))
       ON CONFLICT (user_id, scope, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, locked_until = EXCLUDED.locked_until, status = 'in_progress',
              response_status = NULL, response_body = NULL, created_at = now(), expires_at = now() + interval '24 hours'
        WHERE idempotency_records.expires_at < now()
           OR (idempotency_records.status = 'in_progress' AND idempotency_records.locked_until < now()
               AND idempotency_records.request_hash = EXCLUDED.request_hash)
       RETURNING true AS claimed`,
      [slot.userId, slot.scope, slot.key, requestHash, leaseMs],
    );
    return row?.claimed === true;
  }

  async find(slot: IdempotencySlot): Promise<IdempotencyRecord | undefined> {
    const row = await this.db.first<{
      request_hash: Buffer;
      status: 'in_progress' | 'completed';
      response_status: number | null;
      response_body: string | null;
    }>(
      `SELECT request_hash, status, response_status, response_body FROM idempotency_records
        WHERE user_id = $1::uuid AND scope = $2::text AND key = $3::text`,
      [slot.userId, slot.scope, slot.key],
    );
    return (
      row && {
        requestHash: row.request_hash,
        status: row.status,
        responseStatus: row.response_status,
        responseBody: row.response_body,
      }
    );
  }

  /**
   * Stores the answer. Given the transaction that charged for it, the record commits with the
   * charge: a charged request can never lose its record and be charged again on a retry.
   */
  async complete(slot: IdempotencySlot, status: number, body: string, tx: SqlExecutor = this.db): Promise<void> {
    await tx.rows(
      `UPDATE idempotency_records
          SET status = 'completed', response_status = $4::integer, response_body = $5::text, locked_until = NULL
        WHERE user_id = $1::uuid AND scope = $2::text AND key = $3::text AND status = 'in_progress'`,
      [slot.userId, slot.scope, slot.key, status, body],
    );
  }

  /** Gives the key back after a request that charged nothing; a completed record is never removed. */
  async abandon(slot: IdempotencySlot): Promise<void> {
    await this.db.rows(
      `DELETE FROM idempotency_records
        WHERE user_id = $1::uuid AND scope = $2::text AND key = $3::text AND status = 'in_progress'`,
      [slot.userId, slot.scope, slot.key],
    );
  }

  /** Drops records past their 24 h; answers how many. */
  async deleteExpired(): Promise<number> {
    const rows = await this.db.rows<{ key: string }>(
      'DELETE FROM idempotency_records WHERE expires_at < now() RETURNING key',
    );
    return rows.length;
  }
}
