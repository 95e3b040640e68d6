import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { StatsQueryDto } from '#src/usage/dto/stats-query.dto.js';
import { AllowApiKey, type AuthenticatedUser, CurrentUser } from '#src/common/auth.decorators.js';
import type { ListResponse, UsageItem, UsageStatsResponse } from '#src/contract/index.js';
import { UsageQueryDto } from '#src/usage/dto/usage-query.dto.js';
import { csvExportResponse } from '#src/usage/usage-csv.js';
import { UsageService } from '#src/usage/usage.service.js';

@ApiTags('usage')
@Controller('api/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  /** The caller's AI attempts, newest first; filters by status, model and date range. */
  @AllowApiKey()
  @Get()
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: UsageQueryDto): Promise<ListResponse<UsageItem>> {
    return this.usage.own(user.id, query);
  }

  /** The caller's figures per UTC day and in total over `from`–`to` (default: the last 30 days; at most 366). */
  @AllowApiKey()
  @Get('stats')
  stats(@CurrentUser() user: AuthenticatedUser, @Query() query: StatsQueryDto): Promise<UsageStatsResponse> {
    return this.usage.ownStats(user.id, query);
  }

  /** The caller's rows the filters select, as CSV with a header row, streamed (`limit` and `cursor` are ignored). */
  @AllowApiKey()
  @Get('export')
  async export(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: UsageQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.usage.exportOwn(user.id, query, csvExportResponse(reply));
  }
}
