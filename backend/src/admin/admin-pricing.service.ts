import { Injectable } from '@nestjs/common';
import type { UpdatePeakHoursDto } from '#src/admin/dto/admin-pricing.dto.js';
import { adminErrorFor } from '#src/admin/admin.errors.js';
import { AppError } from '#src/common/app-error.js';
import { canonicalTimestamp } from '#src/common/validators.js';
import { ErrorCode, type PeakHours } from '#src/contract/index.js';
import { PeakHoursCache } from '#src/pricing/peak-hours.cache.js';
import { isKnownTimeZone } from '#src/pricing/peak-hours.js';
import { PeakHoursRepository } from '#src/pricing/peak-hours.repository.js';

/** The peak calendar as admins read and set it (docs/pricing.md). */
@Injectable()
export class AdminPricingService {
  constructor(
    private readonly calendar: PeakHoursRepository,
    private readonly cache: PeakHoursCache,
  ) {}

  peakHours(): Promise<PeakHours> {
    return this.calendar.read();
  }

  /** `adminToken`: the acting admin's access token, which the SQL function verifies itself. */
  async setPeakHours(adminToken: string, change: UpdatePeakHoursDto): Promise<PeakHours> {
    const problems = [
      ...(isKnownTimeZone(change.timeZone) ? [] : [`timeZone ${change.timeZone} is not a known IANA time zone`]),
      ...change.ranges
        .filter((range) => range.from >= range.to)
        .map((range) => `${range.from}–${range.to} ends before it starts`),
      // The DTO allows only YYYY-MM-DD; a date that does not exist (30 February) reads as no instant.
      ...change.holidays
        .filter((date) => canonicalTimestamp(date) === undefined)
        .map((date) => `${date} is not a date`),
    ];
    if (problems.length > 0) {
      throw new AppError(ErrorCode.ValidationFailed, 'The request is not valid.', [
        { field: 'peakHours', messages: problems },
      ]);
    }
    try {
      const saved = await this.calendar.set({
        adminToken,
        hours: {
          timeZone: change.timeZone,
          weekdays: change.weekdays,
          ranges: change.ranges,
          holidays: change.holidays,
        },
        reason: change.reason ?? null,
      });
      this.cache.forget();
      return saved;
    } catch (error) {
      throw (
        adminErrorFor(error, 'change the peak hours', {
          invalidParameter: 'timeZone is not a time zone the database knows.',
        }) ?? error
      );
    }
  }
}
