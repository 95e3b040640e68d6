import type { PeakHours } from '#src/contract/index.js';
import { PeakHoursCache } from '#src/pricing/peak-hours.cache.js';
import type { PeakHoursRepository } from '#src/pricing/peak-hours.repository.js';

const weekdaysNineToNoonUtc: PeakHours = {
  timeZone: 'UTC',
  weekdays: [1, 2, 3, 4, 5],
  ranges: [{ from: '09:00', to: '12:00' }],
  holidays: [],
};

/** A calendar table that answers what it is told, and counts the reads. */
function calendarOf(hours: PeakHours): {
  repository: PeakHoursRepository;
  reads: () => number;
  set: (next: PeakHours) => void;
} {
  let current = hours;
  let reads = 0;
  const repository = {
    read: () => {
      reads += 1;
      return Promise.resolve(current);
    },
  } as unknown as PeakHoursRepository;
  return { repository, reads: () => reads, set: (next) => (current = next) };
}

describe('PeakHoursCache', () => {
  it('answers per minute: the minute before, at and after a range boundary each get their own answer', async () => {
    const cache = new PeakHoursCache(calendarOf(weekdaysNineToNoonUtc).repository);
    // Wednesday 2026-12-02, UTC.
    expect(await cache.isPeak(new Date('2026-12-02T08:59:59.999Z'))).toBe(false);
    expect(await cache.isPeak(new Date('2026-12-02T09:00:00.000Z'))).toBe(true);
    expect(await cache.isPeak(new Date('2026-12-02T09:00:59.000Z'))).toBe(true);
    expect(await cache.isPeak(new Date('2026-12-02T11:59:30.000Z'))).toBe(true);
    expect(await cache.isPeak(new Date('2026-12-02T12:00:00.000Z'))).toBe(false);
  });

  it('answers by the calendar in force: a change made here (forget) applies within the same minute', async () => {
    const calendar = calendarOf(weekdaysNineToNoonUtc);
    const cache = new PeakHoursCache(calendar.repository);
    const at = new Date('2026-12-02T10:00:00Z');
    expect(await cache.isPeak(at)).toBe(true);
    calendar.set({ ...weekdaysNineToNoonUtc, holidays: ['2026-12-02'] });
    cache.forget();
    expect(await cache.isPeak(at)).toBe(false);
    expect(calendar.reads()).toBe(2);
  });

  it('reads the calendar at most once within its time to live', async () => {
    const calendar = calendarOf(weekdaysNineToNoonUtc);
    const cache = new PeakHoursCache(calendar.repository);
    for (let second = 0; second < 5; second += 1) await cache.isPeak(new Date(Date.UTC(2026, 11, 2, 10, 0, second)));
    expect(calendar.reads()).toBe(1);
  });
});
