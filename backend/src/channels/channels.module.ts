import { Module } from '@nestjs/common';
import { ChannelBalances } from '#src/channels/channel-balance.js';
import { ChannelHealth } from '#src/channels/channel-health.js';
import { ChannelRegistry } from '#src/channels/channel-registry.js';
import { ChannelRouter } from '#src/channels/channel-router.js';
import { ChannelsController } from '#src/channels/channels.controller.js';
import { ChannelsRepository } from '#src/channels/channels.repository.js';
import { ChannelsService } from '#src/channels/channels.service.js';

/**
 * Upstream channels (docs/channels.md): the admin API, the registry of channels and their clients,
 * per-instance health, and the router that fails over between them inside one request.
 */
@Module({
  controllers: [ChannelsController],
  providers: [ChannelsRepository, ChannelRegistry, ChannelHealth, ChannelRouter, ChannelBalances, ChannelsService],
  exports: [ChannelRouter, ChannelRegistry],
})
export class ChannelsModule {}
