import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminUsersService } from '#src/admin/admin-users.service.js';
import { RechargeDto, UpdateUserAccessDto, UserSearchQueryDto } from '#src/admin/dto/admin-users.dto.js';
import { AccessToken, Roles } from '#src/common/auth.decorators.js';
import {
  type AdminUserDetail,
  type AdminUserItem,
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
