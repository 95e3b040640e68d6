import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateApiKeyDto } from '#src/api-keys/dto/create-api-key.dto.js';
import { ApiKeysService } from '#src/api-keys/api-keys.service.js';
import { type AuthenticatedUser, CurrentUser, RequiresLogin } from '#src/common/auth.decorators.js';
import type { ApiKeyView, CreatedApiKey, ListResponse } from '#src/contract/index.js';

/** Managing keys needs a login (JWT): a key can never mint or revoke keys. */
@ApiTags('api-keys')
@RequiresLogin()
@Controller('api/keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** A new key: the secret (`key`) is in this answer only; it is stored as a hash. */
  @Post()
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateApiKeyDto): Promise<CreatedApiKey> {
    return this.apiKeys.create(user.id, body.name, body.creditLimit);
  }

  /** A user holds few keys, so the list is never paged; `nextCursor` keeps the shape of every list. */
  @Get()
  async list(@CurrentUser() user: AuthenticatedUser): Promise<ListResponse<ApiKeyView>> {
    return { items: await this.apiKeys.list(user.id), nextCursor: null };
  }

  /** Revokes a key of the caller's: it fails at once. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  revoke(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.apiKeys.revoke(user.id, id);
  }
}
