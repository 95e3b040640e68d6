import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateApiKeyDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
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
