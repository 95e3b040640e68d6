import type { PeakHours } from '#src/contract/index.js';

/** "HH:MM" from 00:00 to 24:00. */
export const CLOCK_TIME_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const WEEKDAY_NUMBERS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** One formatter per zone: building one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date, ISO weekday and minute of the day of `at` in `timeZone`. */
export function localTime(at: Date, timeZone: string): { date: string; weekday: number; minute: number } {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    weekday: WEEKDAY_NUMBERS[parts['weekday'] ?? ''] ?? 0,
    minute: Number(parts['hour']) * 60 + Number(parts['minute']),
  };
}

/**
 * Whether `at` falls in peak hours: a listed weekday, not a holiday, inside one of the ranges
 * (`from` included, `to` excluded), all in the calendar's own time zone.
 */
export function isPeakAt(hours: PeakHours, at: Date): boolean {
  const local = localTime(at, hours.timeZone);
  if (!hours.weekdays.includes(local.weekday) || hours.holidays.includes(local.date)) return false;
  return hours.ranges.some((range) => minutesOf(range.from) <= local.minute && local.minute < minutesOf(range.to));
}

/** True for a zone this runtime knows (IANA names). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}
