import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OptionalNotNull } from '#src/common/validators.js';
import { type ChatRequest, PROMPT_MAX_CHARS } from '#src/contract/index.js';

export class ChatRequestDto implements ChatRequest {
  /** Trimmed; 1–8000 characters. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'prompt must not be empty or blank' })
  @MaxLength(PROMPT_MAX_CHARS)
  prompt!: string;

  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'model must be a model id such as deepseek-chat' })
  model?: string;

  /** At most the model's own output limit, checked once the model is known. Left out, never null. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxTokens?: number;
}
