import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminUsersService } from '#src/admin/admin-users.service.js';
import {
  AdminUpdateApiKeyDto,
  RechargeDto,
  UpdateUserAccessDto,
  UserSearchQueryDto,
} from '#src/admin/dto/admin-users.dto.js';
import { AccessToken, Roles } from '#src/common/auth.decorators.js';
import {
  type AdminUserDetail,
  type AdminUserItem,
  type ApiKeyView,
  HttpHeader,
  type ListResponse,
  type RechargeResponse,
} from '#src/contract/index.js';
import { IdempotencyService } from '#src/idempotency/idempotency.service.js';

@ApiTags('admin')
@Controller('api/admin')
@Roles('admin')
export class AdminUsersController {
  constructor(
    private readonly users: AdminUsersService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get('users')
  list(@Query() query: UserSearchQueryDto): Promise<ListResponse<AdminUserItem>> {
    return this.users.list(query);
  }

  @Get('users/:id')
  detail(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUserDetail> {
    return this.users.detail(id);
  }

  @Patch('users/:id')
  update(
    @AccessToken() adminToken: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserAccessDto,
  ): Promise<AdminUserDetail> {
    return this.users.updateAccess(adminToken, id, body);
  }

  /** The user's keys that are not revoked, with their limits and spend in the current period (docs/limits.md). */
  @Get('users/:id/keys')
  async apiKeys(@Param('id', ParseUUIDPipe) id: string): Promise<ListResponse<ApiKeyView>> {
    return { items: await this.users.apiKeysOf(id), nextCursor: null };
  }

  /** Changes a key's limits (left out: kept; null: removed); audited with the old and new values. */
  @Patch('users/:id/keys/:keyId')
  updateApiKey(
    @AccessToken() adminToken: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
    @Body() body: AdminUpdateApiKeyDto,
  ): Promise<ApiKeyView> {
    return this.users.updateApiKey(adminToken, id, keyId, body);
  }

  /** Revokes a key of the user's: it fails at once. Audited. */
  @Delete('users/:id/keys/:keyId')
  @HttpCode(HttpStatus.NO_CONTENT)
  revokeApiKey(
    @AccessToken() adminToken: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
  ): Promise<void> {
    return this.users.revokeApiKey(adminToken, id, keyId);
  }

  /** Adds credits once per Idempotency-Key (kept by the ledger itself). */
  @Post('recharge')
  recharge(
    @AccessToken() adminToken: string,
    @Body() body: RechargeDto,
    @Headers(HttpHeader.IdempotencyKey) idempotencyKey: string | undefined,
  ): Promise<RechargeResponse> {
    return this.users.recharge(adminToken, body, this.idempotency.parseKey(idempotencyKey));
  }
}
