import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '#src/common/pagination.js';
import { type AdminUsageQuery, USAGE_STATUSES, type UsageQuery, type UsageStatusName } from '#src/contract/index.js';

/** Filters of a usage list: `from` inclusive, `to` exclusive (ISO 8601). */
export class UsageQueryDto extends PageQueryDto implements UsageQuery {
  @IsOptional()
  @IsIn(USAGE_STATUSES)
  status?: UsageStatusName;

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'model must be a model id' })
  model?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** The admin's usage list may also narrow to one user. */
export class AdminUsageQueryDto extends UsageQueryDto implements AdminUsageQuery {
  @IsOptional()
  @IsUUID()
  userId?: string;
}
