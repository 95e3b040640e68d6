import { Injectable } from '@nestjs/common';
import { AdminUsersRepository } from '#src/admin/admin-users.repository.js';
import { AdminErrors } from '#src/admin/admin.errors.js';
import type { DemoLabChatDto } from '#src/admin/dto/admin-users.dto.js';
import { CHAT_REQUEST_FIELDS, chatInputFrom } from '#src/ai/chat-outcome.js';
import { toChatResponse } from '#src/ai/chat.presenter.js';
import { type ChatContext, ChatService } from '#src/ai/chat.service.js';
import type { ChatResponse } from '#src/contract/index.js';

const DEMO_LAB_FIELDS = [...CHAT_REQUEST_FIELDS, 'userId', 'thinking', 'jsonMode', 'tools'] as const;

/**
 * The console's demo lab: one chat billed to a chosen user through exactly the path their own
 * `POST /api/ai/chat` takes (hold, provider, charge or release, usage row). Spending someone
 * else's credits is an admin act, so it is written to the audit log before the call is made.
 */
@Injectable()
export class AdminDemoLabService {
  constructor(
    private readonly users: AdminUsersRepository,
    private readonly chats: ChatService,
  ) {}

  async chat(
    actorId: string,
    request: DemoLabChatDto,
    raw: Readonly<Record<string, unknown>>,
    context: ChatContext,
  ): Promise<ChatResponse> {
    const user = await this.users.find(request.userId);
    if (!user) throw AdminErrors.noSuchUser();
    if (user.disabled) throw AdminErrors.accountDisabled();
    await this.users.recordAudit({
      actorId,
      action: 'demo_lab_chat',
      targetType: 'user',
      targetId: user.id,
      details: { model: request.model ?? null, requestId: context.requestId },
    });
    const input = chatInputFrom(request, raw, DEMO_LAB_FIELDS);
    const options = {
      ...(request.thinking === undefined ? {} : { thinking: { type: request.thinking } }),
      ...(request.jsonMode === true ? { response_format: { type: 'json_object' } } : {}),
      // As sent: the schema is forwarded untouched (`chatInputFrom` checked it).
      ...(request.tools === undefined ? {} : { tools: raw['tools'] }),
    };
    return toChatResponse(await this.chats.complete({ id: user.id, role: user.role }, { ...input, options }, context));
  }
}
