import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '#src/common/pagination.js';
import { IsDecimal, IsStorableText, StoredLabel } from '#src/common/validators.js';
import {
  type AuditQuery,
  PRICE_MAX_CREDITS,
  REASON_MAX_CHARS,
  type UpdateModelPriceRequest,
} from '#src/contract/index.js';

/** The largest output any model row allows (DeepSeek's 384K). */
const MAX_OUTPUT_TOKENS_LIMIT = 393_216;

export class UpdateModelPriceDto implements UpdateModelPriceRequest {
  @IsBoolean()
  enabled!: boolean;

  @IsInt()
  @Min(0)
  @Max(PRICE_MAX_CREDITS)
  requestCredits!: number;

  /** Up to 4 decimal places, as the price table stores rates. */
  @IsDecimal(4)
  @Min(0)
  @Max(PRICE_MAX_CREDITS)
  inputCreditsPer1k!: number;

  /** Prompt tokens that hit the provider's cache; left out, the input rate. */
  @IsOptional()
  @IsDecimal(4)
  @Min(0)
  @Max(PRICE_MAX_CREDITS)
  cachedInputCreditsPer1k?: number;

  @IsDecimal(4)
  @Min(0)
  @Max(PRICE_MAX_CREDITS)
  outputCreditsPer1k!: number;

  /** Off-peak rates in percent of the rates above, 1–100; left out, 100 (no discount). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  offPeakPercent?: number;

  /** `max_tokens` when a request names none; left out, unchanged. At most the model's maximum. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_OUTPUT_TOKENS_LIMIT)
  defaultOutputTokens?: number;

  /** Trimmed; U+0000 and unpaired surrogates are stored as U+FFFD. */
  @IsOptional()
  @StoredLabel()
  @IsString()
  @MaxLength(REASON_MAX_CHARS)
  reason?: string;
}

export class AuditQueryDto extends PageQueryDto implements AuditQuery {
  @IsOptional()
  @IsIn(['user', 'model', 'pricing'])
  targetType?: 'user' | 'model' | 'pricing';

  /** A user id or a model id. */
  @IsOptional()
  @IsString()
  @IsStorableText()
  @MaxLength(100)
  targetId?: string;
}
