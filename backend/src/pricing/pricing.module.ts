import { Module } from '@nestjs/common';
import { PeakHoursCache } from '#src/pricing/peak-hours.cache.js';
import { PeakHoursRepository } from '#src/pricing/peak-hours.repository.js';

/** The peak calendar that decides which rates are in force (docs/pricing.md). */
@Module({ providers: [PeakHoursRepository, PeakHoursCache], exports: [PeakHoursRepository, PeakHoursCache] })
export class PricingModule {}
