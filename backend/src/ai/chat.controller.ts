import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { chatInputFrom } from '#src/ai/chat-outcome.js';
import { toChatResponse } from '#src/ai/chat.presenter.js';
import { ChatService } from '#src/ai/chat.service.js';
import { ChatRequestDto } from '#src/ai/dto/chat-request.dto.js';
import { AllowApiKey, type AuthenticatedUser, CurrentUser } from '#src/common/auth.decorators.js';
import { ClientGone, RawBody, RequestId } from '#src/common/request-context.decorators.js';
import { type ChatResponse, HttpHeader, type ListResponse, type ModelView } from '#src/contract/index.js';
import { RateLimit, RateLimitName } from '#src/rate-limit/rate-limit.decorator.js';

@ApiTags('ai')
@Controller('api/ai')
@AllowApiKey()
export class ChatController {
  constructor(private readonly chats: ChatService) {}

  @Post('chat')
  @HttpCode(HttpStatus.OK)
  @RateLimit(RateLimitName.ChatPerUser)
  chat(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: ChatRequestDto,
    @RawBody() raw: Record<string, unknown>,
    @Headers(HttpHeader.IdempotencyKey) idempotencyKey: string | undefined,
    @RequestId() requestId: string,
    @ClientGone() clientGone: AbortSignal,
  ): Promise<ChatResponse> {
    const context = { requestId, clientGone, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) };
    return this.chats.complete(user, chatInputFrom(body, raw), context).then(toChatResponse);
  }

  /** Models usable now, with prices; a user-facing list, never paged. */
  @Get('models')
  async models(): Promise<ListResponse<ModelView>> {
    return { items: await this.chats.listModels(), nextCursor: null };
  }
}
