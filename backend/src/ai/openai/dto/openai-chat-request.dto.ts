import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  type ValidationArguments,
  ValidateNested,
} from 'class-validator';
import {
  checkMessage,
  checkObject,
  checkStop,
  checkTool,
  checkToolChoice,
  MAX_TOOLS,
  Satisfies,
} from '#src/ai/dto/chat-shapes.validation.js';
import { NullMeansAbsent } from '#src/common/validators.js';
import { type ChatMessageInput, MODEL_ID_PATTERN } from '#src/contract/index.js';

/** `top_logprobs` means something only with `logprobs: true` (DeepSeek refuses it otherwise). */
function NeedsLogprobs(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'needsLogprobs',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'top_logprobs needs logprobs: true' },
      validator: {
        validate: (_value: unknown, args?: ValidationArguments) =>
          (args?.object as { logprobs?: unknown } | undefined)?.logprobs === true,
      },
    });
  };
}

export class StreamOptionsDto {
  @IsOptional()
  @IsBoolean()
  include_usage?: boolean;

  /** OpenAI's; accepted and ignored (DeepSeek pads nothing). */
  @IsOptional()
  @IsBoolean()
  include_obfuscation?: boolean;
}

export class ThinkingDto {
  @IsIn(['enabled', 'disabled'])
  type!: 'enabled' | 'disabled';
}

export class ResponseFormatDto {
  /** DeepSeek offers JSON mode (`json_object`) but no `json_schema`: that is refused here, with this reason. */
  @IsIn(['text', 'json_object'], {
    message: 'response_format.type must be text or json_object (DeepSeek has no json_schema)',
  })
  type!: 'text' | 'json_object';
}

/**
 * OpenAI's chat-completions request as DeepSeek serves it (docs/openai-compatibility.md).
 * Every field here is validated; the forwarded ones go upstream as the client sent them (the raw
 * body, never this object). A few fields other clients always send are accepted and not forwarded
 * (`ACCEPTED_NOT_FORWARDED`); anything else is 400.
 */
export class OpenAiChatRequestDto {
  @IsString()
  @Matches(MODEL_ID_PATTERN, { message: 'model must be a model id such as deepseek-flash' })
  model!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2048)
  @Satisfies(checkMessage, { each: true })
  messages!: ChatMessageInput[];

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
  @IsNumber()
  @Min(-2)
  @Max(2)
  frequency_penalty?: number;

  @IsOptional()
  @IsNumber()
  @Min(-2)
  @Max(2)
  presence_penalty?: number;

  @IsOptional()
  @Satisfies(checkStop)
  stop?: string | string[];

  @IsOptional()
  @IsBoolean()
  logprobs?: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  @NeedsLogprobs()
  top_logprobs?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TOOLS)
  @Satisfies(checkTool, { each: true })
  tools?: unknown[];

  @IsOptional()
  @Satisfies(checkToolChoice)
  tool_choice?: unknown;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ResponseFormatDto)
  response_format?: ResponseFormatDto;

  /** DeepSeek's switch for thinking mode (on by default upstream). */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ThinkingDto)
  thinking?: ThinkingDto;

  /** OpenAI's and DeepSeek's names for the depth of thinking; DeepSeek maps each to its own. */
  @IsOptional()
  @IsIn(['minimal', 'low', 'medium', 'high', 'xhigh', 'max'])
  reasoning_effort?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  user?: string;

  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => StreamOptionsDto)
  stream_options?: StreamOptionsDto;

  /** One choice is all DeepSeek makes: `n` may be sent only as 1. */
  @IsOptional()
  @Equals(1, { message: 'n must be 1: one choice per request' })
  n?: number;

  @IsOptional()
  @IsBoolean()
  parallel_tool_calls?: boolean;

  @IsOptional()
  @IsInt()
  seed?: number;

  @IsOptional()
  @IsBoolean()
  store?: boolean;

  @IsOptional()
  @Satisfies(checkObject)
  metadata?: Record<string, unknown>;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  service_tier?: string;
}

/** Forwarded upstream exactly as sent, when present (docs/openai-compatibility.md's request surface besides the messages). */
export const FORWARDED_FIELDS = [
  'tools',
  'tool_choice',
  'response_format',
  'thinking',
  'reasoning_effort',
  'frequency_penalty',
  'presence_penalty',
  'logprobs',
  'top_logprobs',
  'stop',
  'temperature',
  'top_p',
  'user',
] as const satisfies readonly (keyof OpenAiChatRequestDto)[];

/**
 * Sent by the openai SDK, LangChain or the Vercel AI SDK, and not DeepSeek's: accepted so those
 * clients work unchanged, and not forwarded (DeepSeek documents none of them).
 */
export const ACCEPTED_NOT_FORWARDED = [
  'n',
  'parallel_tool_calls',
  'seed',
  'store',
  'metadata',
  'service_tier',
] as const satisfies readonly (keyof OpenAiChatRequestDto)[];

/** Every top-level field of the request: the DTO's properties. */
export const OPENAI_REQUEST_FIELDS: readonly string[] = [
  'model',
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'stream',
  'stream_options',
  ...FORWARDED_FIELDS,
  ...ACCEPTED_NOT_FORWARDED,
] satisfies readonly (keyof OpenAiChatRequestDto)[];
