import type { PeakHours } from '@creditgate/contract';

/** ISO weekday numbers (1 = Monday) with the names the console shows. */
export const WEEKDAYS = [
  [1, 'Mon'],
  [2, 'Tue'],
  [3, 'Wed'],
  [4, 'Thu'],
  [5, 'Fri'],
  [6, 'Sat'],
  [7, 'Sun'],
] as const;

/** A range's start: 00:00 to 23:59. */
export const FROM_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A range's end: up to 24:00 (the end of the day). */
export const TO_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
/** A date as the API takes it. */
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Whether the browser knows `zone` as an IANA time zone (the server checks it against PostgreSQL too). */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "Mon–Fri", "Mon, Wed, Sat–Sun", or "no day": consecutive days as one span. */
export function describeWeekdays(weekdays: readonly number[]): string {
  const days = [...new Set(weekdays)].sort((a, b) => a - b);
  const spans: number[][] = [];
  for (const day of days) {
    const last = spans.at(-1);
    if (last?.at(-1) === day - 1) last.push(day);
    else spans.push([day]);
  }
  const name = (day: number): string => WEEKDAYS.find(([number]) => number === day)?.[1] ?? String(day);
  if (spans.length === 0) return 'no day';
  return spans
    .map((span) => (span.length === 1 ? name(span[0] ?? 0) : `${name(span[0] ?? 0)}–${name(span.at(-1) ?? 0)}`))
    .join(', ');
}

/** "09:00–12:00, 14:00–18:00", or "none (every hour is off-peak)". */
export function describeRanges(ranges: PeakHours['ranges']): string {
  return ranges.length === 0
    ? 'none (every hour is off-peak)'
    : ranges.map((range) => `${range.from}–${range.to}`).join(', ');
}

/** The holidays as a sorted list without repeats. */
export function sortedDates(dates: readonly string[]): string[] {
  return [...new Set(dates)].sort();
}

const asCalendar = (value: unknown): Partial<PeakHours> => (typeof value === 'object' && value !== null ? value : {});

/** "holidays +2026-12-25 −2026-10-07; zone UTC → Asia/Shanghai" for a peak-hours audit row; only what changed. */
export function describePeakHoursChange(details: Record<string, unknown>): string {
  const before = asCalendar(details['before']);
  const after = asCalendar(details['after']);
  const changes: string[] = [];
  if (before.timeZone !== after.timeZone) changes.push(`zone ${before.timeZone ?? '—'} → ${after.timeZone ?? '—'}`);
  const days = (calendar: Partial<PeakHours>): string => describeWeekdays(calendar.weekdays ?? []);
  if (days(before) !== days(after)) changes.push(`days ${days(before)} → ${days(after)}`);
  const hours = (calendar: Partial<PeakHours>): string => describeRanges(calendar.ranges ?? []);
  if (hours(before) !== hours(after)) changes.push(`hours ${hours(before)} → ${hours(after)}`);
  const was = new Set(before.holidays ?? []);
  const is = new Set(after.holidays ?? []);
  const added = [...is].filter((day) => !was.has(day)).sort();
  const removed = [...was].filter((day) => !is.has(day)).sort();
  if (added.length > 0 || removed.length > 0) {
    changes.push(`holidays ${[...added.map((day) => `+${day}`), ...removed.map((day) => `−${day}`)].join(' ')}`);
  }
  return changes.length === 0 ? 'no change' : changes.join('; ');
}
