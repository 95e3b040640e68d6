import { Injectable } from '@nestjs/common';
import type { CreditsView, LedgerItem, LedgerKind } from '#src/contract/index.js';
import type { SqlExecutor } from '#src/database/database.service.js';

interface LedgerRow {
  id: string;
  kind: LedgerKind;
  amount: string;
  balance_after: string;
  reason: string;
  created_at: Date;
}

export const toLedgerItem = (row: LedgerRow): LedgerItem => ({
  id: row.id,
  kind: row.kind,
  amount: Number(row.amount),
  balanceAfter: Number(row.balance_after),
  reason: row.reason,
  createdAt: row.created_at.toISOString(),
});

/** Read side of the books: an account and its ledger, through the caller's executor. */
@Injectable()
export class LedgerRepository {
  async account(sql: SqlExecutor, userId: string): Promise<CreditsView | undefined> {
    const row = await sql.first<{ balance: string; held: string }>(
      'SELECT balance, held FROM credit_accounts WHERE user_id = $1::uuid',
      [userId],
    );
    return (
      row && { balance: Number(row.balance), held: Number(row.held), available: Number(row.balance) - Number(row.held) }
    );
  }

  /** Newest first, strictly before ledger id `before` when given. */
  page(sql: SqlExecutor, userId: string, before: string | undefined, limit: number): Promise<LedgerRow[]> {
    return sql.rows<LedgerRow>(
      // Sorted by the bigint column itself: `ORDER BY id` would pick the text output column.
      `SELECT l.id::text AS id, l.kind, l.amount, l.balance_after, l.reason, l.created_at FROM credit_ledger l
        WHERE l.user_id = $1::uuid AND ($2::bigint IS NULL OR l.id < $2::bigint)
        ORDER BY l.id DESC LIMIT $3::integer`,
      [userId, before ?? null, limit],
    );
  }
}
