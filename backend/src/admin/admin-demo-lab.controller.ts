import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminDemoLabService } from '#src/admin/admin-demo-lab.service.js';
import { DemoLabChatDto } from '#src/admin/dto/admin-users.dto.js';
import { type AuthenticatedUser, CurrentUser, Roles } from '#src/common/auth.decorators.js';
import { ClientGone, RawBody, RequestId } from '#src/common/request-context.decorators.js';
import type { ChatResponse } from '#src/contract/index.js';

@ApiTags('admin')
@Controller('api/admin/demo-lab')
@Roles('admin')
export class AdminDemoLabController {
  constructor(private readonly demoLab: AdminDemoLabService) {}

  /** A chat billed to the chosen user, answered and charged exactly as their own would be; audited. */
  @Post('chat')
  @HttpCode(HttpStatus.OK)
  chat(
    @CurrentUser() admin: AuthenticatedUser,
    @Body() body: DemoLabChatDto,
    @RawBody() raw: Record<string, unknown>,
    @RequestId() requestId: string,
    @ClientGone() clientGone: AbortSignal,
  ): Promise<ChatResponse> {
    return this.demoLab.chat(admin.id, body, raw, { requestId, clientGone });
  }
}
