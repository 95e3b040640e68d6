import type { ChatInput, ChatOutcome } from '#src/ai/chat-outcome.js';
import { assertForwardable } from '#src/ai/dto/chat-shapes.validation.js';
import {
  FORWARDED_FIELDS,
  OPENAI_REQUEST_FIELDS,
  type OpenAiChatRequestDto,
} from '#src/ai/openai/dto/openai-chat-request.dto.js';
import type { FinishReason } from '#src/ai/providers/ai-provider.js';
import type { ErrorBody, ModelView } from '#src/contract/index.js';

/**
 * OpenAI's request, as the billing layer takes it. `raw` is the body as the client sent it (already
 * validated as `request`): the messages and every forwarded field are taken from it, not from the
 * validated object, so they reach the upstream exactly as sent.
 */
export function toChatInput(request: OpenAiChatRequestDto, raw: Readonly<Record<string, unknown>>): ChatInput {
  assertForwardable(raw, OPENAI_REQUEST_FIELDS);
  const options: Record<string, unknown> = {};
  for (const field of FORWARDED_FIELDS) {
    if (raw[field] !== undefined && raw[field] !== null) options[field] = raw[field];
  }
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  return {
    endpoint: 'openai',
    model: request.model,
    messages: raw['messages'] as ChatInput['messages'],
    options,
    ...(maxTokens === undefined ? {} : { maxTokens }),
  };
}

const unixSeconds = (date: Date = new Date()): number => Math.floor(date.getTime() / 1000);

/** The provider's usage object as it sent it; ours when it sent none (a safe-side estimate). */
const openAiUsage = (outcome: ChatOutcome) =>
  outcome.upstreamUsage ?? {
    prompt_tokens: outcome.usage.promptTokens,
    completion_tokens: outcome.usage.completionTokens,
    total_tokens: outcome.usage.promptTokens + outcome.usage.completionTokens,
    prompt_cache_hit_tokens: outcome.usage.cacheHitTokens,
    prompt_cache_miss_tokens: outcome.usage.cacheMissTokens,
    completion_tokens_details: { reasoning_tokens: outcome.usage.reasoningTokens },
  };

/** A non-streamed `chat.completion`, with DeepSeek's `reasoning_content` when the model thought. */
export function toCompletion(outcome: ChatOutcome) {
  const { message } = outcome;
  return {
    id: `chatcmpl-${outcome.usageId}`,
    object: 'chat.completion' as const,
    created: unixSeconds(),
    model: outcome.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          // OpenAI's shape: null, not '', when a tool-call turn says nothing.
          content: message.content === '' && message.toolCalls !== undefined ? null : message.content,
          ...(message.reasoningContent === undefined ? {} : { reasoning_content: message.reasoningContent }),
          ...(message.toolCalls === undefined ? {} : { tool_calls: message.toolCalls }),
          refusal: null,
        },
        logprobs: outcome.logprobs ?? null,
        finish_reason: outcome.finishReason,
      },
    ],
    usage: openAiUsage(outcome),
  };
}

/** One `chat.completion.chunk` of a stream. */
export function toChunk(
  stream: { id: string; model: string; created: number },
  delta: Record<string, unknown>,
  finishReason: FinishReason | null = null,
  logprobs: unknown = null,
) {
  return {
    id: stream.id,
    object: 'chat.completion.chunk' as const,
    created: stream.created,
    model: stream.model,
    choices: [{ index: 0, delta, logprobs: logprobs ?? null, finish_reason: finishReason }],
  };
}

/** The last chunk of a stream whose client asked for usage (`stream_options.include_usage`). */
export function toUsageChunk(stream: { id: string; model: string; created: number }, outcome: ChatOutcome) {
  return {
    id: stream.id,
    object: 'chat.completion.chunk' as const,
    created: stream.created,
    model: stream.model,
    choices: [],
    usage: openAiUsage(outcome),
  };
}

export function toModelList(models: ModelView[]) {
  return {
    object: 'list' as const,
    data: models.map((model) => ({
      id: model.model,
      object: 'model' as const,
      created: unixSeconds(new Date(model.updatedAt)),
      owned_by: model.provider,
    })),
  };
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  503: 'service_unavailable_error',
};

/** OpenAI's error shape, carrying the contract's code and the request id. */
export function toOpenAiError(body: Pick<ErrorBody, 'statusCode' | 'code' | 'message'> & { requestId?: string }) {
  return {
    error: {
      message: body.message,
      type: errorTypes[body.statusCode] ?? 'server_error',
      code: body.code,
      param: null,
      ...(body.requestId === undefined ? {} : { request_id: body.requestId }),
    },
  };
}
