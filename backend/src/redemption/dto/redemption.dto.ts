import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsStorableText, IsTimestamp, OptionalNotNull, StoredLabel } from '#src/common/validators.js';
import {
  type CreateRedemptionCodesRequest,
  REDEMPTION_BATCH_MAX_CODES,
  REDEMPTION_NOTE_MAX_CHARS,
  type RedeemCodeRequest,
  TOP_UP_MAX_CREDITS,
} from '#src/contract/index.js';

/** `POST /api/admin/redemption-codes` (docs/top-up.md). */
export class CreateRedemptionCodesDto implements CreateRedemptionCodesRequest {
  /** Credits each code adds. */
  @IsInt()
  @Min(1)
  @Max(TOP_UP_MAX_CREDITS)
  credits!: number;

  /** How many codes to make. */
  @IsInt()
  @Min(1)
  @Max(REDEMPTION_BATCH_MAX_CODES)
  count!: number;

  /** RFC 3339, in the future; left out, the codes never expire. */
  @OptionalNotNull()
  @IsTimestamp()
  expiresAt?: string;

  /** Who the batch is for, for admins (users never see it). Trimmed. */
  @StoredLabel()
  @IsString()
  @MinLength(1)
  @MaxLength(REDEMPTION_NOTE_MAX_CHARS)
  note!: string;
}

/** `POST /api/credits/redeem`. */
export class RedeemCodeDto implements RedeemCodeRequest {
  /** As handed out (`CG-XXXX-…`); letter case, dashes and spaces do not matter. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @IsStorableText()
  code!: string;
}
