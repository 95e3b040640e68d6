import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MigrationStatus } from '#src/database/migration-status.service.js';

/** Ready only when every migration this build ships has been applied. */
@Injectable()
export class MigrationsHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly migrations: MigrationStatus,
  ) {}

  async check(key: string) {
    const indicator = this.indicators.check(key);
    try {
      const pending = await this.migrations.pending();
      return pending.length === 0 ? indicator.up() : indicator.down({ pending });
    } catch {
      return indicator.down({ message: 'migration status unavailable' });
    }
  }
}
