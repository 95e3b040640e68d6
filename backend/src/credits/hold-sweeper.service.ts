import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfigService } from '#src/config/app-config.service.js';
import { CreditsRepository } from '#src/credits/credits.repository.js';
import { IdempotencyRepository } from '#src/idempotency/idempotency.repository.js';
import { MetricsService } from '#src/metrics/metrics.service.js';

const BATCH = 1000;

/**
 * Gives back the credits of holds whose request died (a killed process, a lost connection) once
 * they expire: at boot, then every `HOLD_SWEEP_INTERVAL_MS` (10 s by default; at most 15 s).
 * Several instances may sweep at once: `expire_holds` skips rows another sweeper has locked.
 * Also drops idempotency records past their 24 h.
 */
@Injectable()
export class HoldSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HoldSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfigService,
    private readonly credits: CreditsRepository,
    private readonly idempotencyRecords: IdempotencyRepository,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.metrics.observeOpenHolds(() => this.credits.countOpenHolds());
    await this.sweep();
    this.timer = setInterval(() => {
      // One sweep at a time in this process; a slow one is not stacked on.
      this.running ??= this.sweep().finally(() => (this.running = undefined));
    }, this.config.holdSweepIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<void> {
    try {
      let released = 0;
      for (let batch = BATCH; batch === BATCH; released += batch) batch = await this.credits.expireHolds(BATCH);
      if (released > 0) {
        this.metrics.holdsReleasedBySweeper.inc(released);
        this.logger.warn(`Released ${released} expired credit holds`);
      }
      await this.idempotencyRecords.deleteExpired();
    } catch (error) {
      this.logger.error({ err: error }, 'Sweeping expired holds failed; retrying at the next interval');
    }
  }
}
