import { IsString, MaxLength, MinLength } from 'class-validator';
import { ApiKeyLimitsDto } from '#src/api-keys/dto/api-key-limits.dto.js';
import { StoredLabel } from '#src/common/validators.js';
import type { CreateApiKeyRequest } from '#src/contract/index.js';

export class CreateApiKeyDto extends ApiKeyLimitsDto implements CreateApiKeyRequest {
  /** Trimmed; any text, U+0000 and unpaired surrogates stored as U+FFFD. */
  @StoredLabel()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;
}
