import { Module } from '@nestjs/common';
import { AdminDemoLabController } from '#src/admin/admin-demo-lab.controller.js';
import { AdminDemoLabService } from '#src/admin/admin-demo-lab.service.js';
import { AdminModelsController } from '#src/admin/admin-models.controller.js';
import { AdminModelsRepository } from '#src/admin/admin-models.repository.js';
import { AdminModelsService } from '#src/admin/admin-models.service.js';
import { AdminPricingController } from '#src/admin/admin-pricing.controller.js';
import { AdminPricingService } from '#src/admin/admin-pricing.service.js';
import { AdminReportsController } from '#src/admin/admin-reports.controller.js';
import { AdminReportsRepository } from '#src/admin/admin-reports.repository.js';
import { AdminReportsService } from '#src/admin/admin-reports.service.js';
import { AdminUsersController } from '#src/admin/admin-users.controller.js';
import { AdminUsersRepository } from '#src/admin/admin-users.repository.js';
import { AdminUsersService } from '#src/admin/admin-users.service.js';
import { AiModule } from '#src/ai/ai.module.js';
import { ApiKeysModule } from '#src/api-keys/api-keys.module.js';
import { CreditsModule } from '#src/credits/credits.module.js';
import { IdempotencyModule } from '#src/idempotency/idempotency.module.js';
import { PricingModule } from '#src/pricing/pricing.module.js';
import { UsageModule } from '#src/usage/usage.module.js';

/**
 * Admin APIs (role `admin`, checked by the route guard and again inside the SQL functions that
 * change anything): users, recharge, usage and its CSV export, stats, prices and peak hours, the audit trail, and the console's demo lab.
 */
@Module({
  imports: [AiModule, ApiKeysModule, CreditsModule, IdempotencyModule, PricingModule, UsageModule],
  controllers: [
    AdminUsersController,
    AdminReportsController,
    AdminModelsController,
    AdminPricingController,
    AdminDemoLabController,
  ],
  providers: [
    AdminUsersService,
    AdminUsersRepository,
    AdminReportsService,
    AdminReportsRepository,
    AdminModelsRepository,
    AdminModelsService,
    AdminPricingService,
    AdminDemoLabService,
  ],
})
export class AdminModule {}
