import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIpRange } from '#src/api-keys/allowed-ips.js';
import { IsTimestamp } from '#src/common/validators.js';
import {
  API_KEY_LIST_MAX_ITEMS,
  type ApiKeyLimitsChange,
  MODEL_ID_PATTERN,
  SPEND_LIMIT_MAX_CREDITS,
  SPEND_PERIODS,
  type SpendBudget,
  type SpendPeriod,
} from '#src/contract/index.js';

/** At most `credits` per UTC `period` (docs/limits.md): a key's budget, a user's spend limit. */
export class SpendBudgetDto implements SpendBudget {
  @IsInt()
  @Min(1)
  @Max(SPEND_LIMIT_MAX_CREDITS)
  credits!: number;

  /** UTC calendar day, ISO week (from Monday) or month. */
  @IsIn(SPEND_PERIODS)
  period!: SpendPeriod;
}

/**
 * The limits of a key (docs/limits.md), shared by creating a key, its owner's changes and an admin's.
 * Left out: kept (none, for a new key); null: removed.
 */
export class ApiKeyLimitsDto implements ApiKeyLimitsChange {
  /** Most credits this key may ever spend; none = only the account's balance limits it. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(SPEND_LIMIT_MAX_CREDITS)
  creditLimit?: number | null;

  /** Most credits per UTC day, week or month, charged plus held. */
  @IsOptional()
  @ValidateNested()
  @Type(() => SpendBudgetDto)
  budget?: SpendBudgetDto | null;

  /** Public model ids the key may call; each also admits the aliases that call it. None = every model. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_LIST_MAX_ITEMS)
  @ArrayUnique()
  @Matches(MODEL_ID_PATTERN, { each: true, message: 'each of models must be a model id' })
  models?: string[] | null;

  /** When the key stops working (401 from then on); RFC 3339, in the future. */
  @IsOptional()
  @IsString()
  @IsTimestamp()
  expiresAt?: string | null;

  /** Client addresses and CIDR ranges, IPv4 or IPv6, the key may be used from. None = any. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_LIST_MAX_ITEMS)
  @ArrayUnique()
  @IsString({ each: true })
  @IsIpRange({ each: true })
  allowedIps?: string[] | null;
}
