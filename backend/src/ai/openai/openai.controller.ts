import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Post, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ChatService } from '#src/ai/chat.service.js';
import { OpenAiChatRequestDto } from '#src/ai/openai/dto/openai-chat-request.dto.js';
import { OpenAiExceptionFilter } from '#src/ai/openai/openai-exception.filter.js';
import { toChatInput, toCompletion, toModelList } from '#src/ai/openai/openai-format.js';
import { OpenAiSseWriter } from '#src/ai/openai/openai-sse.writer.js';
import { AllowApiKey, type AuthenticatedUser, CurrentUser } from '#src/common/auth.decorators.js';
import { ClientGone, RawBody, RequestId } from '#src/common/request-context.decorators.js';
import { AppConfigService } from '#src/config/app-config.service.js';
import { HttpHeader } from '#src/contract/index.js';
import { RateLimit, RateLimitName } from '#src/rate-limit/rate-limit.decorator.js';

/** OpenAI-compatible: apps switch by changing only `baseURL` and the API key. */
@ApiTags('openai-compatible')
@Controller('v1')
@AllowApiKey()
@UseFilters(OpenAiExceptionFilter)
export class OpenAiController {
  constructor(
    private readonly chats: ChatService,
    private readonly config: AppConfigService,
  ) {}

  @Get('models')
  async models(): Promise<ReturnType<typeof toModelList>> {
    return toModelList(await this.chats.listModels());
  }

  /** Writes its own response: JSON, or server-sent events when `stream` is true. */
  @Post('chat/completions')
  // The response is written by hand (JSON or SSE); this says so in the OpenAPI document.
  @HttpCode(HttpStatus.OK)
  @RateLimit(RateLimitName.ChatPerUser)
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: OpenAiChatRequestDto,
    @RawBody() raw: Record<string, unknown>,
    @Headers(HttpHeader.IdempotencyKey) idempotencyKey: string | undefined,
    @RequestId() requestId: string,
    @ClientGone() clientGone: AbortSignal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const context = { requestId, clientGone, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) };
    if (body.stream === true) {
      const sink = new OpenAiSseWriter(reply, body.stream_options?.include_usage === true, this.config.sseHeartbeatMs);
      await this.chats.stream(user, toChatInput(body, raw), context, sink);
      return;
    }
    void reply.status(200).send(toCompletion(await this.chats.complete(user, toChatInput(body, raw), context)));
  }
}
