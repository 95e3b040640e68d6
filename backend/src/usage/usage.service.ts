import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '#src/common/pagination.js';
import type {
  AdminUsageItem,
  ListResponse,
  StatsQuery,
  UsageItem,
  UsageQuery,
  UsageStatsResponse,
} from '#src/contract/index.js';
import { Database, type SqlExecutor } from '#src/database/database.service.js';
import type { AdminUsageQueryDto, UsageQueryDto } from '#src/usage/dto/usage-query.dto.js';
import { statsRange } from '#src/usage/stats-range.js';
import { OWN_USAGE_COLUMNS, writeUsageCsv } from '#src/usage/usage-csv.js';
import { toFigures } from '#src/usage/usage-figures.js';
import { UsageStatsRepository } from '#src/usage/usage-stats.repository.js';
import {
  toAdminUsageItem,
  toUsageItem,
  type UsageFilter,
  UsageRepository,
  type UsageRow,
} from '#src/usage/usage.repository.js';

@Injectable()
export class UsageService {
  constructor(
    private readonly db: Database,
    private readonly usage: UsageRepository,
    private readonly stats: UsageStatsRepository,
  ) {}

  /** The caller's own usage, read under row-level security. */
  own(userId: string, query: UsageQueryDto): Promise<ListResponse<UsageItem>> {
    return this.db.asUser(userId, (tx) => this.page(tx, query, userId, toUsageItem));
  }

  /** The caller's own figures per UTC day and in total over a range, read under row-level security. */
  ownStats(userId: string, query: StatsQuery): Promise<UsageStatsResponse> {
    const { from, to } = statsRange(query);
    return this.db.asUser(userId, async (tx) => {
      const days = await this.stats.daily(tx, userId, from, to);
      const totals = await this.stats.totals(tx, userId, from, to);
      return { from, to, days: days.map((row) => ({ day: row.day, ...toFigures(row) })), totals };
    });
  }

  /**
   * The caller's own filtered rows as CSV, streamed; each batch is read in a short transaction of its
   * own under row-level security, so a slow download holds no transaction open.
   */
  exportOwn(userId: string, query: UsageQuery, out: Writable): Promise<void> {
    return writeUsageCsv(
      out,
      OWN_USAGE_COLUMNS,
      (limit, after) =>
        this.db.asUser(userId, (tx) =>
          this.usage.page(tx, {
            limit,
            userId,
            ...(query.status === undefined ? {} : { status: query.status }),
            ...(query.model === undefined ? {} : { model: query.model }),
            ...(query.from === undefined ? {} : { from: query.from }),
            ...(query.to === undefined ? {} : { to: query.to }),
            ...(after === undefined ? {} : { after }),
          }),
        ),
      toUsageItem,
    );
  }

  /** Everyone's usage (admins). */
  all(query: AdminUsageQueryDto): Promise<ListResponse<AdminUsageItem>> {
    return this.page(this.db, query, query.userId, toAdminUsageItem);
  }

  private async page<T>(
    sql: SqlExecutor,
    query: UsageQueryDto,
    userId: string | undefined,
    render: (row: UsageRow) => T,
  ): Promise<ListResponse<T>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, { createdAt: CursorField.Timestamp, id: CursorField.Uuid });
    const filter: UsageFilter = {
      limit: limit + 1,
      ...(userId === undefined ? {} : { userId }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.model === undefined ? {} : { model: query.model }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(after === undefined ? {} : { after }),
    };
    const rows = await this.usage.page(sql, filter);
    return toPage(rows, limit, render, (row) => ({ createdAt: row.cursor_at, id: row.id }));
  }
}
