import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AdminModule } from '#src/admin/admin.module.js';
import { AiModule } from '#src/ai/ai.module.js';
import { AuthModule } from '#src/auth/auth.module.js';
import { BillingModule } from '#src/billing/billing.module.js';
import { ChannelsModule } from '#src/channels/channels.module.js';
import { AllExceptionsFilter } from '#src/common/all-exceptions.filter.js';
import { ConfigModule } from '#src/config/config.module.js';
import { CreditsModule } from '#src/credits/credits.module.js';
import { DatabaseModule } from '#src/database/database.module.js';
import { HealthModule } from '#src/health/health.module.js';
import { LoggingModule } from '#src/logging/logging.module.js';
import { MetricsModule } from '#src/metrics/metrics.module.js';
import { RedemptionModule } from '#src/redemption/redemption.module.js';
import { SecretsModule } from '#src/secrets/secrets.module.js';
import { UsageModule } from '#src/usage/usage.module.js';
import { WebhooksModule } from '#src/webhooks/webhooks.module.js';

@Module({})
export class AppModule {
  /** The whole application; the environment is read when this is called. */
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(),
        LoggingModule,
        DatabaseModule,
        MetricsModule,
        SecretsModule,
        HealthModule,
        AuthModule,
        CreditsModule,
        ChannelsModule,
        AiModule,
        UsageModule,
        AdminModule,
        WebhooksModule,
        RedemptionModule,
        BillingModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
    };
  }
}
