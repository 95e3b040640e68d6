import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ChatRequestDto } from '#src/ai/dto/chat-request.dto.js';
import { ApiKeyLimitsDto, SpendBudgetDto } from '#src/api-keys/dto/api-key-limits.dto.js';
import { checkTool, MAX_TOOLS, Satisfies } from '#src/ai/dto/chat-shapes.validation.js';
import { PageQueryDto } from '#src/common/pagination.js';
import { IsStorableText, StoredLabel } from '#src/common/validators.js';
import {
  type AdminUpdateApiKeyRequest,
  type DemoLabChatRequest,
  RECHARGE_MAX_CREDITS,
  REASON_MAX_CHARS,
  type RechargeRequest,
  Role,
  type UpdateUserAccessRequest,
  type UserSearchQuery,
} from '#src/contract/index.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class UserSearchQueryDto extends PageQueryDto implements UserSearchQuery {
  /** Part of an e-mail address, any case. */
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsStorableText()
  @MaxLength(254)
  search?: string;
}

export class UpdateUserAccessDto implements UpdateUserAccessRequest {
  @IsOptional()
  @IsIn(Object.values(Role))
  role?: Role;

  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  /** Most credits the user may spend per UTC day, week or month, over all its keys and logins; null removes it. */
  @IsOptional()
  @ValidateNested()
  @Type(() => SpendBudgetDto)
  spendLimit?: SpendBudgetDto | null;

  /** Why; kept in the audit log (trimmed; U+0000 and unpaired surrogates stored as U+FFFD). */
  @IsOptional()
  @StoredLabel()
  @IsString()
  @MaxLength(REASON_MAX_CHARS)
  reason?: string;
}

/** `PATCH /api/admin/users/:id/keys/:keyId`: a key's limits (left out: kept; null: removed). */
export class AdminUpdateApiKeyDto extends ApiKeyLimitsDto implements AdminUpdateApiKeyRequest {
  /** Why; kept in the audit log (trimmed; U+0000 and unpaired surrogates stored as U+FFFD). */
  @IsOptional()
  @StoredLabel()
  @IsString()
  @MaxLength(REASON_MAX_CHARS)
  reason?: string;
}

export class RechargeDto implements RechargeRequest {
  @IsUUID()
  userId!: string;

  /** Whole credits; a JSON number (a string such as "100" is refused). */
  @IsInt()
  @Min(1)
  @Max(RECHARGE_MAX_CREDITS)
  amount!: number;

  /** Trimmed; U+0000 and unpaired surrogates are stored as U+FFFD. */
  @StoredLabel()
  @IsString()
  @MinLength(1)
  @MaxLength(REASON_MAX_CHARS)
  reason!: string;
}

/**
 * The demo lab's chat: the usual chat request, billed to `userId` (the admin's own id for "myself"),
 * with the switches that show today's paths: thinking, JSON mode, tools.
 */
export class DemoLabChatDto extends ChatRequestDto implements DemoLabChatRequest {
  @IsUUID()
  userId!: string;

  @IsOptional()
  @IsIn(['enabled', 'disabled'])
  thinking?: 'enabled' | 'disabled';

  @IsOptional()
  @IsBoolean()
  jsonMode?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TOOLS)
  @Satisfies(checkTool, { each: true })
  tools?: DemoLabChatRequest['tools'];
}
