import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AdminReportsRepository } from '#src/admin/admin-reports.repository.js';
import type { StatsQueryDto } from '#src/usage/dto/stats-query.dto.js';
import type { StatsResponse } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import { statsRange } from '#src/usage/stats-range.js';
import { ADMIN_USAGE_COLUMNS, writeUsageCsv } from '#src/usage/usage-csv.js';
import { toFigures } from '#src/usage/usage-figures.js';
import type { AdminUsageQueryDto } from '#src/usage/dto/usage-query.dto.js';
import { toAdminUsageItem, UsageRepository } from '#src/usage/usage.repository.js';

const TOP_USERS = 10;

@Injectable()
export class AdminReportsService {
  constructor(
    private readonly reports: AdminReportsRepository,
    private readonly usage: UsageRepository,
    private readonly db: Database,
  ) {}

  async stats(query: StatsQueryDto): Promise<StatsResponse> {
    const { from: fromIso, to: toIso } = statsRange(query);
    const [days, totals, topUsers] = await Promise.all([
      this.reports.daily(fromIso, toIso),
      this.reports.totals(fromIso, toIso),
      this.reports.topUsers(fromIso, toIso, TOP_USERS),
    ]);
    return {
      from: fromIso,
      to: toIso,
      days: days.map((row) => ({ day: row.day, ...toFigures(row) })),
      totals,
      topUsers,
    };
  }

  /** The filtered usage rows of every user as CSV (docs/admin.md), streamed. */
  exportCsv(query: AdminUsageQueryDto, out: Writable): Promise<void> {
    return writeUsageCsv(
      out,
      ADMIN_USAGE_COLUMNS,
      (limit, after) =>
        this.usage.page(this.db, {
          limit,
          ...(query.userId === undefined ? {} : { userId: query.userId }),
          ...(query.status === undefined ? {} : { status: query.status }),
          ...(query.model === undefined ? {} : { model: query.model }),
          ...(query.from === undefined ? {} : { from: query.from }),
          ...(query.to === undefined ? {} : { to: query.to }),
          ...(after === undefined ? {} : { after }),
        }),
      toAdminUsageItem,
    );
  }
}
