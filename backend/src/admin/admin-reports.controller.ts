import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminReportsService } from '#src/admin/admin-reports.service.js';
import { StatsQueryDto } from '#src/usage/dto/stats-query.dto.js';
import { Roles } from '#src/common/auth.decorators.js';
import type { AdminUsageItem, ListResponse, StatsResponse } from '#src/contract/index.js';
import { AdminUsageQueryDto } from '#src/usage/dto/usage-query.dto.js';
import { csvExportResponse } from '#src/usage/usage-csv.js';
import { UsageService } from '#src/usage/usage.service.js';

@ApiTags('admin')
@Controller('api/admin')
@Roles('admin')
export class AdminReportsController {
  constructor(
    private readonly reports: AdminReportsService,
    private readonly usage: UsageService,
  ) {}

  /** Every user's AI attempts, newest first; filters by user, status, model and date range. */
  @Get('usage')
  list(@Query() query: AdminUsageQueryDto): Promise<ListResponse<AdminUsageItem>> {
    return this.usage.all(query);
  }

  /** The same rows as CSV with a header row, streamed (`limit` and `cursor` are ignored). */
  @Get('usage/export')
  async export(@Query() query: AdminUsageQueryDto, @Res() reply: FastifyReply): Promise<void> {
    await this.reports.exportCsv(query, csvExportResponse(reply));
  }

  /** Per-day series and totals over a range (UTC days), and the top users by credits. */
  @Get('stats')
  stats(@Query() query: StatsQueryDto): Promise<StatsResponse> {
    return this.reports.stats(query);
  }
}
