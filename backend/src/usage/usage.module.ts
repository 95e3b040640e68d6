import { Module } from '@nestjs/common';
import { UsageController } from '#src/usage/usage.controller.js';
import { UsageStatsRepository } from '#src/usage/usage-stats.repository.js';
import { UsageRepository } from '#src/usage/usage.repository.js';
import { UsageService } from '#src/usage/usage.service.js';

/** A user's own usage records, figures and CSV; the admin views reuse the same queries. */
@Module({
  controllers: [UsageController],
  providers: [UsageService, UsageRepository, UsageStatsRepository],
  exports: [UsageService, UsageRepository],
})
export class UsageModule {}
