import { Module } from '@nestjs/common';
import { PeakHoursCache } from '#src/pricing/peak-hours.cache.js';
import { PeakHoursRepository } from '#src/pricing/peak-hours.repository.js';

/** The peak calendar that decides which rates are in force (SPEC §5). */
@Module({ providers: [PeakHoursRepository, PeakHoursCache], exports: [PeakHoursRepository, PeakHoursCache] })
export class PricingModule {}
