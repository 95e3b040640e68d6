import { Injectable } from '@nestjs/common';
import type { PeakHours } from '#src/contract/index.js';
import { isPeakAt } from '#src/pricing/peak-hours.js';
import { PeakHoursRepository } from '#src/pricing/peak-hours.repository.js';

/** How long the calendar read from the database is reused; like prices (ModelPriceCache). */
export const PEAK_HOURS_CACHE_TTL_MS = 1000;

/**
 * Whether the rates in force now are the peak rates, from the calendar read at most once a second:
 * no database round trip per chat. An admin's change through this instance applies at once
 * (`forget`), and reaches other instances within the TTL.
 */
@Injectable()
export class PeakHoursCache {
  private cached?: { hours: PeakHours; expiresAt: number };
  /**
   * The last answer, for its calendar and minute. Ranges and holidays are whole minutes and days, and
   * every time zone's offset today is whole minutes, so the answer holds for the rest of the minute;
   * working it out (`Intl` formatting in the calendar's zone) was ~1 % of a chat's CPU.
   */
  private answered?: { hours: PeakHours; minute: number; peak: boolean };

  constructor(private readonly calendar: PeakHoursRepository) {}

  async isPeak(at: Date = new Date()): Promise<boolean> {
    const hours = await this.hours();
    const minute = Math.floor(at.getTime() / 60_000);
    if (this.answered?.hours === hours && this.answered.minute === minute) return this.answered.peak;
    const peak = isPeakAt(hours, at);
    this.answered = { hours, minute, peak };
    return peak;
  }

  async hours(): Promise<PeakHours> {
    if (this.cached !== undefined && this.cached.expiresAt > performance.now()) return this.cached.hours;
    const hours = await this.calendar.read();
    this.cached = { hours, expiresAt: performance.now() + PEAK_HOURS_CACHE_TTL_MS };
    return hours;
  }

  /** After a change made here: the next chat is priced by the new calendar. */
  forget(): void {
    this.cached = undefined;
  }
}
