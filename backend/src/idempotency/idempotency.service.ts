import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';

export type IdempotencyClaim =
  /** This request owns the key: do the work, then `complete` or `abandon`. */
  | { kind: 'claimed' }
  /** The key already answered: return this again. */
  | { kind: 'replay'; status: number; body: unknown };

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/**
 * Stripe-style idempotency keys. The first request with a key claims it for a lease (the call's
 * deadline and then some), so a crashed request stops blocking its key; its answer is stored for
 * 24 h and replayed to the same request. The same key with another body is 422, and while the
 * first is still running, 409. Only answers are stored: a request that failed (and cost nothing)
 * gives its key back, so a client may retry it with the same key.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly db: Database) {}

  /** The header's key, or undefined when absent; 400 when it is not 1–255 printable ASCII characters. */
  parseKey(header: string | undefined): string | undefined {
    if (header === undefined) return undefined;
    if (!keyPattern.test(header)) {
      throw new AppError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 1 to 255 printable ASCII characters.');
    }
    return header;
  }

  /** SHA-256 of the request as validated, with defaults applied, so equal requests hash equal. */
  fingerprint(request: Record<string, unknown>): Buffer {
    const canonical = JSON.stringify(
      Object.keys(request)
        .sort()
        .map((key) => [key, request[key]]),
    );
    return createHash('sha256').update(canonical).digest();
  }

  async claim(
    userId: string,
    scope: string,
    key: string,
    requestHash: Buffer,
    leaseMs: number,
  ): Promise<IdempotencyClaim> {
    const claimed = await this.db.first<{ claimed: boolean }>(
      `INSERT INTO idempotency_records (user_id, scope, key, request_hash, locked_until)
       VALUES ($1::uuid, $2::text, $3::text, $4::bytea, now() + make_interval(secs => $5::integer / 1000.0))
       ON CONFLICT (user_id, scope, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, locked_until = EXCLUDED.locked_until, status = 'in_progress',
              response_status = NULL, response_body = NULL, created_at = now(), expires_at = now() + interval '24 hours'
        WHERE idempotency_records.expires_at < now()
           OR (idempotency_records.status = 'in_progress' AND idempotency_records.locked_until < now()
               AND idempotency_records.request_hash = EXCLUDED.request_hash)
       RETURNING true AS claimed`,
      [userId, scope, key, requestHash, leaseMs],
    );
    if (claimed) return { kind: 'claimed' };

    const existing = await this.db.first<{
      request_hash: Buffer;
      status: 'in_progress' | 'completed';
      response_status: number | null;
      response_body: unknown;
    }>(
      `SELECT request_hash, status, response_status, response_body FROM idempotency_records
        WHERE user_id = $1::uuid AND scope = $2::text AND key = $3::text`,
      [userId, scope, key],
    );
    // Gone between the two statements (its request failed and gave the key back): claim again.
    if (!existing) return this.claim(userId, scope, key, requestHash, leaseMs);
    if (!existing.request_hash.equals(requestHash)) {
      throw new AppError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used with a different request.');
    }
    if (existing.status === 'in_progress' || existing.response_status === null) {
      throw new AppError(ErrorCode.IdempotencyInProgress, 'A request with this Idempotency-Key is still in progress.');
    }
    return { kind: 'replay', status: existing.response_status, body: existing.response_body };
  }

  async complete(userId: string, scope: string, key: string, status: number, body: unknown): Promise<void> {
    await this.db.rows(
      `UPDATE idempotency_records
          SET status = 'completed', response_status = $4::integer, response_body = $5::jsonb, locked_until = NULL
        WHERE user_id = $1::uuid AND scope = $2::text AND key = $3::text`,
      [userId, scope, key, status, JSON.stringify(body)],
    );
  }

  async abandon(userId: string, scope: string, key: string): Promise<void> {
    await this.db.rows(
      `DELETE FROM idempotency_records
        WHERE user_id = $1::uuid AND scope = $2::text AND key = $3::text AND status = 'in_progress'`,
      [userId, scope, key],
    );
  }
}
