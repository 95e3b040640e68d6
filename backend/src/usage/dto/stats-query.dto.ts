import { IsOptional } from 'class-validator';
import { IsTimestamp } from '#src/common/validators.js';
import type { StatsQuery } from '#src/contract/index.js';

/** `?from=&to=` (RFC 3339, `to` exclusive); default: the 30 days up to now. */
export class StatsQueryDto implements StatsQuery {
  /** A date (2026-01-31, midnight UTC) or a date and time with Z or an offset; default: 30 days before `to`. */
  @IsOptional()
  @IsTimestamp()
  from?: string;

  /** Exclusive, written as `from` is; default: now. At most 366 days after `from`. */
  @IsOptional()
  @IsTimestamp()
  to?: string;
}
