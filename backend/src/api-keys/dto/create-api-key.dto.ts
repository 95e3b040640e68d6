import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { StoredLabel } from '#src/common/validators.js';

export class CreateApiKeyDto {
  /** Trimmed; any text, U+0000 and unpaired surrogates stored as U+FFFD. */
  @StoredLabel()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  /** Most credits this key may ever spend; omitted = only the account's balance limits it. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  creditLimit?: number;
}
