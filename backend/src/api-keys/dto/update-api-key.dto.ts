import { IsString, MaxLength, MinLength } from 'class-validator';
import { ApiKeyLimitsDto } from '#src/api-keys/dto/api-key-limits.dto.js';
import { OptionalNotNull, StoredLabel } from '#src/common/validators.js';
import type { UpdateApiKeyRequest } from '#src/contract/index.js';

/** `PATCH /api/keys/:id`: the fields given change; a limit given as null is removed. */
export class UpdateApiKeyDto extends ApiKeyLimitsDto implements UpdateApiKeyRequest {
  /** Trimmed; any text, U+0000 and unpaired surrogates stored as U+FFFD. */
  @OptionalNotNull()
  @StoredLabel()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;
}
