import { Injectable } from '@nestjs/common';
import type { StatsFigures } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import { dailyFiguresSql, type FiguresRow, toFigures, usageFigures } from '#src/usage/usage-figures.js';

/** Aggregates over usage_logs for the admin dashboard; days are UTC days. */
@Injectable()
export class AdminReportsRepository {
  constructor(private readonly db: Database) {}

  daily(from: string, to: string): Promise<(FiguresRow & { day: string })[]> {
    return this.db.rows(dailyFiguresSql('true'), [from, to]);
  }

  async totals(from: string, to: string): Promise<StatsFigures> {
    const row = await this.db.first<FiguresRow>(
      `SELECT ${usageFigures} FROM usage_logs l WHERE l.created_at >= $1::timestamptz AND l.created_at < $2::timestamptz`,
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
