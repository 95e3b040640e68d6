import { Injectable } from '@nestjs/common';
import { Database } from '#src/database/database.service.js';

export type RedeemOutcome = 'redeemed' | 'not_found' | 'already_redeemed' | 'expired';

export interface RedemptionBatchRow {
  id: string;
  credits: string;
  code_count: number;
  note: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  created_by: string;
  created_by_email: string;
  redeemed: string;
  revoked: string;
  unused: string;
  cursor_at: string;
}

const BATCH_COLUMNS = `b.id, b.credits, b.code_count, b.note, b.expires_at, b.revoked_at, b.created_at, b.created_by,
  u.email AS created_by_email,
  count(*) FILTER (WHERE c.redeemed_at IS NOT NULL) AS redeemed,
  count(*) FILTER (WHERE c.revoked_at IS NOT NULL) AS revoked,
  count(*) FILTER (WHERE c.redeemed_at IS NULL AND c.revoked_at IS NULL) AS unused,
  to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`;

/**
 * Redemption batches and codes (db/migrations/0015). Batches change only through the admin functions,
 * which verify the admin's access token; a code is redeemed only by `redeem_code`.
 */
@Injectable()
export class RedemptionRepository {
  constructor(private readonly db: Database) {}

  async createBatch(
    adminToken: string,
    batch: { id: string; credits: number; expiresAt: string | null; note: string; hashes: Buffer[]; last4s: string[] },
  ): Promise<void> {
    await this.db.first(
      `SELECT id FROM admin_create_redemption_batch(p_actor_token => $1::text, p_batch_id => $2::uuid,
              p_credits => $3::bigint, p_expires_at => $4::timestamptz, p_note => $5::text,
              p_code_hashes => $6::bytea[], p_last4s => $7::text[])`,
      [adminToken, batch.id, batch.credits, batch.expiresAt, batch.note, batch.hashes, batch.last4s],
    );
  }

  async revokeBatch(adminToken: string, batchId: string): Promise<number> {
    const row = await this.db.first<{ revoked: number }>(
      'SELECT admin_revoke_redemption_batch($1::text, $2::uuid) AS revoked',
      [adminToken, batchId],
    );
    return row?.revoked ?? 0;
  }

  batch(id: string): Promise<RedemptionBatchRow | undefined> {
    return this.db.first<RedemptionBatchRow>(
      `SELECT ${BATCH_COLUMNS}
         FROM redemption_batches b JOIN users u ON u.id = b.created_by JOIN redemption_codes c ON c.batch_id = b.id
        WHERE b.id = $1::uuid GROUP BY b.id, u.email`,
      [id],
    );
  }

  /** Newest first, after the keyset (`createdAt`, `id`) of the previous page's last batch. */
  batches(page: { limit: number; after?: { createdAt: string; id: string } }): Promise<RedemptionBatchRow[]> {
    return this.db.rows<RedemptionBatchRow>(
      `SELECT ${BATCH_COLUMNS}
         FROM redemption_batches b JOIN users u ON u.id = b.created_by JOIN redemption_codes c ON c.batch_id = b.id
        WHERE ($1::timestamptz IS NULL OR (b.created_at, b.id) < ($1::timestamptz, $2::uuid))
        GROUP BY b.id, u.email
        ORDER BY b.created_at DESC, b.id DESC LIMIT $3::integer`,
      [page.after?.createdAt ?? null, page.after?.id ?? null, page.limit],
    );
  }

  /** One call of `redeem_code`: its one conditional UPDATE credits the code once, whoever races for it. */
  async redeem(
    userId: string,
    codeHash: Buffer,
  ): Promise<{ outcome: RedeemOutcome; credited: number; balance: number | null }> {
    const row = await this.db.first<{ outcome: RedeemOutcome; credited: string; balance: string | null }>(
      'SELECT outcome, credited, balance FROM redeem_code($1::uuid, $2::bytea)',
      [userId, codeHash],
    );
    if (!row) throw new Error('redeem_code answered no row');
    return {
      outcome: row.outcome,
      credited: Number(row.credited),
      balance: row.balance === null ? null : Number(row.balance),
    };
  }
}
