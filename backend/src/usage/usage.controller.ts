import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AllowApiKey, type AuthenticatedUser, CurrentUser } from '#src/common/auth.decorators.js';
import type { ListResponse, UsageItem } from '#src/contract/index.js';
import { UsageQueryDto } from '#src/usage/dto/usage-query.dto.js';
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
}
