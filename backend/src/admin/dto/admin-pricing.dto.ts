import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { StoredLabel } from '#src/common/validators.js';
import { REASON_MAX_CHARS, type UpdatePeakHoursRequest } from '#src/contract/index.js';
import { CLOCK_TIME_PATTERN } from '#src/pricing/peak-hours.js';

export class PeakRangeDto {
  @IsString()
  @Matches(CLOCK_TIME_PATTERN, { message: 'from is a time HH:MM, 00:00 to 23:59' })
  from!: string;

  @IsString()
  @Matches(CLOCK_TIME_PATTERN, { message: 'to is a time HH:MM, 00:01 to 24:00' })
  to!: string;
}

/** `PUT /api/admin/pricing/peak-hours` (docs/pricing.md). The zone is checked by the database too. */
export class UpdatePeakHoursDto implements UpdatePeakHoursRequest {
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/, { message: 'timeZone must be an IANA time zone such as Asia/Shanghai' })
  timeZone!: string;

  @IsArray()
  @ArrayUnique()
  @IsInt({ each: true })
  @IsIn([1, 2, 3, 4, 5, 6, 7], { each: true, message: 'weekdays are ISO numbers, 1 = Monday … 7 = Sunday' })
  weekdays!: number[];

  @IsArray()
  @ArrayMaxSize(24)
  @ValidateNested({ each: true })
  @Type(() => PeakRangeDto)
  ranges!: PeakRangeDto[];

  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { each: true, message: 'holidays are dates YYYY-MM-DD' })
  holidays!: string[];

  @IsOptional()
  @StoredLabel()
  @IsString()
  @MaxLength(REASON_MAX_CHARS)
  reason?: string;
}
