import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '#src/common/pagination.js';
import type { AuditQuery, StatsQuery, UpdateModelPriceRequest } from '#src/contract/index.js';

/** `?from=&to=` (ISO 8601, `to` exclusive); default: the 30 days up to now. */
export class StatsQueryDto implements StatsQuery {
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class UpdateModelPriceDto implements UpdateModelPriceRequest {
  @IsBoolean()
  enabled!: boolean;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  requestCredits!: number;

  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  inputCreditsPer1k!: number;

  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  outputCreditsPer1k!: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class AuditQueryDto extends PageQueryDto implements AuditQuery {
  @IsOptional()
  @IsIn(['user', 'model'])
  targetType?: 'user' | 'model';

  @IsOptional()
  @IsString()
  @MaxLength(100)
  targetId?: string;
}
