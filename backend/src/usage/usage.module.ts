import { Module } from '@nestjs/common';
import { UsageController } from '#src/usage/usage.controller.js';
import { UsageRepository } from '#src/usage/usage.repository.js';
import { UsageService } from '#src/usage/usage.service.js';

/** A user's own usage records; the admin views reuse the same queries. */
@Module({
  controllers: [UsageController],
  providers: [UsageService, UsageRepository],
  exports: [UsageService, UsageRepository],
})
export class UsageModule {}
