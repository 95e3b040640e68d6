import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { NullMeansAbsent } from '#src/common/validators.js';

const MAX_MESSAGE_CHARS = 100_000;

interface TextPart {
  type: 'text';
  text: string;
}

/** A property rule given as a predicate, for shapes class-validator has no decorator for (unions). */
function Satisfies(name: string, isValid: (value: unknown) => boolean, message: string): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      validator: { validate: isValid, defaultMessage: () => message },
    });
  };
}

function isTextPart(part: unknown): part is TextPart {
  if (typeof part !== 'object' || part === null) return false;
  const { type, text } = part as Record<string, unknown>;
  return type === 'text' && typeof text === 'string';
}

/** The text of OpenAI message content: a string, or the joined text of an array of text parts. */
export function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content) && content.length > 0 && content.every(isTextPart)) {
    return content.map((part) => part.text).join('');
  }
  return undefined;
}

export class OpenAiMessageDto {
  @IsIn(['system', 'user', 'assistant'])
  role!: 'system' | 'user' | 'assistant';

  @Satisfies(
    'isMessageContent',
    (value) => {
      const text = messageText(value);
      return text !== undefined && text.trim() !== '' && text.length <= MAX_MESSAGE_CHARS;
    },
    `content must be a non-blank string or an array of {type: "text", text} parts, at most ${MAX_MESSAGE_CHARS} characters`,
  )
  content!: string | TextPart[];

  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;
}

export class StreamOptionsDto {
  @IsOptional()
  @IsBoolean()
  include_usage?: boolean;
}

/** The subset of OpenAI's chat-completions request CreditGate serves; anything else is 400. */
export class OpenAiChatRequestDto {
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'model must be a model id such as deepseek-chat' })
  model!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(256)
  @ValidateNested({ each: true })
  @Type(() => OpenAiMessageDto)
  messages!: OpenAiMessageDto[];

  /** OpenAI declares both nullable: null means not given. */
  @NullMeansAbsent()
  @IsOptional()
  @IsInt()
  @Min(1)
  max_tokens?: number;

  @NullMeansAbsent()
  @IsOptional()
  @IsInt()
  @Min(1)
  max_completion_tokens?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(2)
  temperature?: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  top_p?: number;

  @IsOptional()
  @Satisfies(
    'isStop',
    (value) =>
      typeof value === 'string' ||
      (Array.isArray(value) && value.length <= 16 && value.every((item) => typeof item === 'string')),
    'stop must be a string or an array of at most 16 strings',
  )
  stop?: string | string[];

  /** Accepted for compatibility; not stored and not sent upstream. */
  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;

  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => StreamOptionsDto)
  stream_options?: StreamOptionsDto;
}
