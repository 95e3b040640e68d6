import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseModule } from '#src/database/database.module.js';
import { HealthController } from '#src/health/health.controller.js';
import { MigrationsHealthIndicator } from '#src/health/migrations.health.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DatabaseModule],
  controllers: [HealthController],
  providers: [MigrationsHealthIndicator],
})
export class HealthModule {}
