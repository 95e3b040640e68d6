import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CreateApiKeyDto } from '#src/api-keys/dto/create-api-key.dto.js';
import { UpdateApiKeyDto } from '#src/api-keys/dto/update-api-key.dto.js';
import { ApiKeysService } from '#src/api-keys/api-keys.service.js';
import { type AuthenticatedUser, CurrentUser, RequiresLogin } from '#src/common/auth.decorators.js';
import type { ApiKeyView, CreatedApiKey, ListResponse } from '#src/contract/index.js';

/** Managing keys needs a login (JWT): a key can never mint, change or revoke keys. */
@ApiTags('api-keys')
@RequiresLogin()
@Controller('api/keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** A new key, with its limits (docs/limits.md): the secret (`key`) is in this answer only; it is stored as a hash. */
  @Post()
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateApiKeyDto): Promise<CreatedApiKey> {
    const { name, ...limits } = body;
    return this.apiKeys.create(user.id, name, limits);
  }

  /**
   * The caller's keys that are not revoked, each with its spend in the current period and when that
   * period resets. A user holds few keys, so the list is never paged; `nextCursor` keeps the shape of every list.
   */
  @Get()
  async list(@CurrentUser() user: AuthenticatedUser): Promise<ListResponse<ApiKeyView>> {
    return { items: await this.apiKeys.list(user.id), nextCursor: null };
  }

  /** Renames a key of the caller's or changes its limits: fields left out are kept, a limit given as null is removed. */
  @Patch(':id')
  update(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateApiKeyDto,
  ): Promise<ApiKeyView> {
    return this.apiKeys.update(user.id, id, body);
  }

  /** Revokes a key of the caller's: it fails at once. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  revoke(@CurrentUser() user: AuthenticatedUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.apiKeys.revoke(user.id, id);
  }
}
