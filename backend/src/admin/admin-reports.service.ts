import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { AdminReportsRepository, toFigures } from '#src/admin/admin-reports.repository.js';
import type { StatsQueryDto } from '#src/admin/dto/admin-reports.dto.js';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode, type StatsResponse } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import type { AdminUsageQueryDto } from '#src/usage/dto/usage-query.dto.js';
import { toAdminUsageItem, UsageRepository } from '#src/usage/usage.repository.js';

/** The first characters csv-stringify's `escape_formulas` prefixes with a quote. */
const formulaStart = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_RANGE_DAYS = 366;
const EXPORT_BATCH = 1000;
const TOP_USERS = 10;

const exportColumns = [
  'id',
  'createdAt',
  'userId',
  'email',
  'model',
  'endpoint',
  'status',
  'errorCode',
  'creditsCharged',
  'promptTokens',
  'completionTokens',
  'cacheHitTokens',
  'cacheMissTokens',
  'reasoningTokens',
  'peak',
  'latencyMs',
  'channel',
  'attempts',
] as const;

@Injectable()
export class AdminReportsService {
  constructor(
    private readonly reports: AdminReportsRepository,
    private readonly usage: UsageRepository,
    private readonly db: Database,
  ) {}

  async stats(query: StatsQueryDto): Promise<StatsResponse> {
    const to = query.to === undefined ? new Date() : new Date(query.to);
    const from = query.from === undefined ? new Date(to.getTime() - 30 * DAY_MS) : new Date(query.from);
    if (!(from < to) || to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
      throw new AppError(ErrorCode.ValidationFailed, `from must be before to, at most ${MAX_RANGE_DAYS} days apart.`, [
        { field: 'from', messages: ['from must be before to, at most 366 days apart'] },
      ]);
    }
    const [fromIso, toIso] = [from.toISOString(), to.toISOString()];
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

  /**
   * Streams the filtered usage rows as CSV, a batch at a time and waiting whenever the client reads
   * slower than the database answers, so memory stays flat however many rows there are.
   */
  async exportCsv(query: AdminUsageQueryDto, out: Writable): Promise<void> {
    const csv = stringify({
      header: true,
      columns: [...exportColumns],
      // OWASP on CSV injection: a cell a spreadsheet would run as a formula (an e-mail address such as
      // =1+2@example.test) gets a leading ' and is quoted. csv-stringify's list of such first
      // characters also covers the full-width forms Apple Numbers reads as = + - @.
      escape_formulas: true,
      quoted_match: formulaStart,
      // `peak`: true or false, and empty for rows from before prices depended on the hour.
      cast: { boolean: (value) => String(value) },
    });
    csv.pipe(out);
    let after: { createdAt: string; id: string } | undefined;
    for (;;) {
      const rows = await this.usage.page(this.db, {
        limit: EXPORT_BATCH,
        ...(query.userId === undefined ? {} : { userId: query.userId }),
        ...(query.status === undefined ? {} : { status: query.status }),
        ...(query.model === undefined ? {} : { model: query.model }),
        ...(query.from === undefined ? {} : { from: query.from }),
        ...(query.to === undefined ? {} : { to: query.to }),
        ...(after === undefined ? {} : { after }),
      });
      for (const row of rows) {
        if (!csv.write(toAdminUsageItem(row))) await once(csv, 'drain');
      }
      const last = rows.at(-1);
      if (rows.length < EXPORT_BATCH || last === undefined) break;
      after = { createdAt: last.cursor_at, id: last.id };
    }
    csv.end();
    await once(out, 'finish');
  }
}
