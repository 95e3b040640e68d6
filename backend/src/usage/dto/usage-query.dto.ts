import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQueryDto } from '#src/common/pagination.js';
import { IsTimestamp } from '#src/common/validators.js';
import {
  type AdminUsageQuery,
  MODEL_ID_PATTERN,
  USAGE_STATUSES,
  type UsageQuery,
  type UsageStatusName,
} from '#src/contract/index.js';

/** Filters of a usage list: `from` inclusive, `to` exclusive (RFC 3339: a date, or a date and time). */
export class UsageQueryDto extends PageQueryDto implements UsageQuery {
  @IsOptional()
  @IsIn(USAGE_STATUSES)
  status?: UsageStatusName;

  @IsOptional()
  @Matches(MODEL_ID_PATTERN, { message: 'model must be a model id' })
  model?: string;

  /** From this instant on: a date (2026-01-31, midnight UTC) or a date and time with Z or an offset. */
  @IsOptional()
  @IsTimestamp()
  from?: string;

  /** Before this instant (exclusive), written as `from` is. */
  @IsOptional()
  @IsTimestamp()
  to?: string;
}

/** The admin's usage list may also narrow to one user. */
export class AdminUsageQueryDto extends UsageQueryDto implements AdminUsageQuery {
  @IsOptional()
  @IsUUID()
  userId?: string;
}
