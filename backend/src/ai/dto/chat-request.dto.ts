import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  registerDecorator,
  type ValidationArguments,
  ValidateIf,
} from 'class-validator';
import { checkMessage, Satisfies } from '#src/ai/dto/chat-shapes.validation.js';
import { OptionalNotNull } from '#src/common/validators.js';
import { type ChatMessageInput, type ChatRequest, MODEL_ID_PATTERN, PROMPT_MAX_CHARS } from '#src/contract/index.js';

/** The property and `other` do not go together: only one of them may be given. */
function NotBoth(other: string): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'notBoth',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `send either ${other} or $property, not both` },
      validator: {
        validate: (_value: unknown, args?: ValidationArguments) =>
          (args?.object as Record<string, unknown> | undefined)?.[other] === undefined,
      },
    });
  };
}

/** `POST /api/ai/chat` (docs/api.md, docs/openai-compatibility.md): a `prompt`, or `messages` in OpenAI's shape — exactly one of them. */
export class ChatRequestDto implements ChatRequest {
  /** Trimmed; 1–8000 characters. Required unless `messages` is given. */
  @ValidateIf((request: ChatRequestDto) => request.messages === undefined)
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'prompt must not be empty or blank' })
  @MaxLength(PROMPT_MAX_CHARS)
  prompt?: string;

  /** The conversation, as `/v1/chat/completions` takes it (text, images, tool turns). */
  @ValidateIf((request: ChatRequestDto) => request.messages !== undefined || request.prompt === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2048)
  @Satisfies(checkMessage, { each: true })
  @NotBoth('prompt')
  messages?: ChatMessageInput[];

  @OptionalNotNull()
  @IsString()
  @Matches(MODEL_ID_PATTERN, { message: 'model must be a model id such as deepseek-flash' })
  model?: string;

  /** At most the model's own output limit, checked once the model is known. Left out, never null. */
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxTokens?: number;
}
