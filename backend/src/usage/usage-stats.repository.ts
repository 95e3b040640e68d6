import { Injectable } from '@nestjs/common';
import type { StatsFigures } from '#src/contract/index.js';
import type { SqlExecutor } from '#src/database/database.service.js';
import { dailyFiguresSql, type FiguresRow, toFigures, usageFigures } from '#src/usage/usage-figures.js';

/**
 * One user's usage summed per UTC day and over a range. Read under row-level security (the caller's
 * executor) and filtered by the user besides, so the plan can use the (user_id, created_at) index.
 */
@Injectable()
export class UsageStatsRepository {
  daily(sql: SqlExecutor, userId: string, from: string, to: string): Promise<(FiguresRow & { day: string })[]> {
    return sql.rows(dailyFiguresSql('l.user_id = $3::uuid'), [from, to, userId]);
  }

  async totals(sql: SqlExecutor, userId: string, from: string, to: string): Promise<StatsFigures> {
    const row = await sql.first<FiguresRow>(
      `SELECT ${usageFigures} FROM usage_logs l
        WHERE l.user_id = $3::uuid AND l.created_at >= $1::timestamptz AND l.created_at < $2::timestamptz`,
      [from, to, userId],
    );
    return toFigures(row);
  }
}
