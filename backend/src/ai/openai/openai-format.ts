import type { ChatInput, ChatOutcome } from '#src/ai/chat-outcome.js';
import { messageText, type OpenAiChatRequestDto } from '#src/ai/openai/dto/openai-chat-request.dto.js';
import type { ErrorBody, ModelView } from '#src/contract/index.js';

/** OpenAI's request, as the billing layer takes it. */
export function toChatInput(request: OpenAiChatRequestDto): ChatInput {
  const { temperature, top_p: topP, stop } = request;
  const sampling = {
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
    ...(stop === undefined ? {} : { stop: typeof stop === 'string' ? [stop] : stop }),
  };
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  return {
    endpoint: 'openai',
    model: request.model,
    messages: request.messages.map((message) => ({ role: message.role, content: messageText(message.content) ?? '' })),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(Object.keys(sampling).length === 0 ? {} : { sampling }),
  };
}

const unixSeconds = (date: Date = new Date()): number => Math.floor(date.getTime() / 1000);

const openAiUsage = (outcome: ChatOutcome) => ({
  prompt_tokens: outcome.usage.promptTokens,
  completion_tokens: outcome.usage.completionTokens,
  total_tokens: outcome.usage.promptTokens + outcome.usage.completionTokens,
});

/** A non-streamed `chat.completion`. */
export function toCompletion(outcome: ChatOutcome) {
  return {
    id: `chatcmpl-${outcome.usageId}`,
    object: 'chat.completion' as const,
    created: unixSeconds(),
    model: outcome.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: outcome.content, refusal: null },
        logprobs: null,
        finish_reason: outcome.finishReason,
      },
    ],
    usage: openAiUsage(outcome),
  };
}

/** One `chat.completion.chunk` of a stream. */
export function toChunk(
  stream: { id: string; model: string; created: number },
  delta: { role?: 'assistant'; content?: string },
  finishReason: 'stop' | 'length' | null = null,
) {
  return {
    id: stream.id,
    object: 'chat.completion.chunk' as const,
    created: stream.created,
    model: stream.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
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
