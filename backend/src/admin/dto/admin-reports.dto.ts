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
import {
  type AuditQuery,
  PRICE_MAX_CREDITS,
  REASON_MAX_CHARS,
  type StatsQuery,
  type UpdateModelPriceRequest,
} from '#src/contract/index.js';

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
  @Max(PRICE_MAX_CREDITS)
  requestCredits!: number;

  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(PRICE_MAX_CREDITS)
  inputCreditsPer1k!: number;

  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(PRICE_MAX_CREDITS)
  outputCreditsPer1k!: number;

  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(REASON_MAX_CHARS)
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
