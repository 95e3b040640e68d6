import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ChannelsService } from '#src/channels/channels.service.js';
import { CreateChannelDto, UpdateChannelDto } from '#src/channels/dto/channel.dto.js';
import { AccessToken, Roles } from '#src/common/auth.decorators.js';
import type { ChannelTestResult, ChannelView } from '#src/contract/index.js';

@ApiTags('admin')
@Controller('api/admin/channels')
@Roles('admin')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  /** Every channel with its state on this instance, last hour's figures and (DeepSeek) balance; never a key. */
  @Get()
  list(): Promise<ChannelView[]> {
    return this.channels.list();
  }

  /** Adds a channel (audited); its key is stored encrypted and never shown again but for its last 4 characters. */
  @Post()
  create(@AccessToken() adminToken: string, @Body() body: CreateChannelDto): Promise<ChannelView> {
    return this.channels.create(adminToken, body);
  }

  /** Changes what is given (audited). Enabling clears an upstream refusal; the built-in channel takes priority, weight and enabled. */
  @Patch(':id')
  update(
    @AccessToken() adminToken: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateChannelDto,
  ): Promise<ChannelView> {
    return this.channels.update(adminToken, id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  delete(@AccessToken() adminToken: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.channels.delete(adminToken, id);
  }

  /** One small real completion through the channel, charged to no user: ok, latency, error. */
  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  test(@Param('id', ParseUUIDPipe) id: string): Promise<ChannelTestResult> {
    return this.channels.test(id);
  }
}
