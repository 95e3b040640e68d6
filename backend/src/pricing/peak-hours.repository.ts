import { Injectable } from '@nestjs/common';
import type { PeakHours } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';

interface CalendarRow {
  time_zone: string;
  weekdays: number[];
  ranges: { from: string; to: string }[];
  holidays: string[];
}

const toPeakHours = (row: CalendarRow): PeakHours => ({
  timeZone: row.time_zone,
  weekdays: row.weekdays,
  ranges: row.ranges,
  holidays: row.holidays,
});

/** The deployment's peak calendar (one row, `peak_calendar`). */
@Injectable()
export class PeakHoursRepository {
  constructor(private readonly db: Database) {}

  async read(): Promise<PeakHours> {
    const row = await this.db.first<CalendarRow>(
      `SELECT time_zone, weekdays::int[] AS weekdays, ranges, holidays::text[] AS holidays FROM peak_calendar`,
    );
    if (!row) throw new Error('peak_calendar has no row');
    return toPeakHours(row);
  }

  /** Through `admin_set_peak_calendar`, which verifies the admin's token and audits the change. */
  async set(change: { adminToken: string; hours: PeakHours; reason: string | null }): Promise<PeakHours> {
    const { hours } = change;
    const row = await this.db.first<CalendarRow>(
      `SELECT time_zone, weekdays::int[] AS weekdays, ranges, holidays::text[] AS holidays
         FROM admin_set_peak_calendar(p_actor_token => $1::text, p_time_zone => $2::text,
                                      p_weekdays => $3::smallint[], p_ranges => $4::jsonb,
                                      p_holidays => $5::date[], p_reason => $6::text)`,
      [change.adminToken, hours.timeZone, hours.weekdays, JSON.stringify(hours.ranges), hours.holidays, change.reason],
    );
    if (!row) throw new Error('admin_set_peak_calendar answered no row');
    return toPeakHours(row);
  }
}
