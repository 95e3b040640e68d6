import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { OptionalNotNull } from '#src/common/validators.js';
import {
  CHANNEL_KINDS,
  type ChannelKind,
  type CreateChannelRequest,
  MODEL_ID_PATTERN,
  type UpdateChannelRequest,
} from '#src/contract/index.js';

/** Names that read well in a list and a metric label; `deepseek` is the built-in channel's. */
const CHANNEL_NAME_PATTERN = /^(?!deepseek$)[A-Za-z0-9](?:[A-Za-z0-9._ -]{0,62}[A-Za-z0-9._-])?$/i;
/** An upstream's model name, as db `model_prices.upstream_model` allows it. */
const UPSTREAM_MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
/** Printable ASCII without spaces: what bearer tokens are made of. */
const API_KEY_PATTERN = /^[\x21-\x7e]{8,512}$/;
const MAX_MODELS = 200;

/** `{publicId: upstreamName}`: catalog ids to the names this upstream knows them by. */
function IsUpstreamModelMap(): PropertyDecorator {
  return ValidateBy({
    name: 'isUpstreamModelMap',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= MAX_MODELS &&
        Object.entries(value).every(
          ([id, name]) => MODEL_ID_PATTERN.test(id) && typeof name === 'string' && UPSTREAM_MODEL_PATTERN.test(name),
        ),
      defaultMessage: () =>
        'upstreamModels maps model ids to upstream model names, e.g. {"deepseek-flash": "deepseek-v4-flash"}',
    },
  });
}

const httpUrl = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/** Each field's rules, once for creating and changing a channel. */
const Rules = {
  name: () =>
    applyDecorators(
      IsString(),
      Matches(CHANNEL_NAME_PATTERN, {
        message:
          'name is 1-64 letters, digits, spaces, dots, dashes or underscores, and not "deepseek" (the built-in one)',
      }),
    ),
  baseUrl: () =>
    applyDecorators(IsString(), MaxLength(2048), IsUrl(httpUrl, { message: 'baseUrl must be an http(s) URL' })),
  apiKey: (required: boolean) =>
    applyDecorators(
      ApiProperty({ writeOnly: true, required }),
      IsString(),
      Matches(API_KEY_PATTERN, { message: 'apiKey must be 8-512 printable characters without spaces' }),
    ),
  models: () =>
    applyDecorators(
      IsArray(),
      ArrayMinSize(1),
      ArrayMaxSize(MAX_MODELS),
      ArrayUnique(),
      IsString({ each: true }),
      Matches(MODEL_ID_PATTERN, { each: true, message: 'models are model ids of the catalog, e.g. deepseek-flash' }),
    ),
  priority: () => applyDecorators(IsInt(), Min(0), Max(1000)),
  weight: () => applyDecorators(IsInt(), Min(1), Max(1000)),
};

/** The fields that are optional on both routes, with their defaults on creation. */
class ChannelOptionsDto {
  @OptionalNotNull()
  @IsUpstreamModelMap()
  upstreamModels?: Record<string, string>;

  /** Lower first; default 0. */
  @OptionalNotNull()
  @Rules.priority()
  priority?: number;

  /** Share of the traffic among channels of the same priority; default 1. */
  @OptionalNotNull()
  @Rules.weight()
  weight?: number;

  @OptionalNotNull()
  @IsBoolean()
  enabled?: boolean;
}

/** `POST /api/admin/channels` (docs/channels.md). */
export class CreateChannelDto extends ChannelOptionsDto implements CreateChannelRequest {
  @Rules.name()
  name!: string;

  @IsIn(CHANNEL_KINDS)
  kind!: ChannelKind;

  @Rules.baseUrl()
  baseUrl!: string;

  /** Write-only: stored encrypted, never returned (only its last 4 characters). */
  @Rules.apiKey(true)
  apiKey!: string;

  @Rules.models()
  models!: string[];
}

/** `PATCH /api/admin/channels/:id`: what is given changes; the built-in channel takes priority, weight and enabled. */
export class UpdateChannelDto extends ChannelOptionsDto implements UpdateChannelRequest {
  @OptionalNotNull()
  @Rules.name()
  name?: string;

  @OptionalNotNull()
  @Rules.baseUrl()
  baseUrl?: string;

  /** A new key; left out, the stored one stays. */
  @OptionalNotNull()
  @Rules.apiKey(false)
  apiKey?: string;

  @OptionalNotNull()
  @Rules.models()
  models?: string[];
}
