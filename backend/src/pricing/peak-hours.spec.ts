import type { PeakHours } from '#src/contract/index.js';
import { isPeakAt } from '#src/pricing/peak-hours.js';

/** DeepSeek's calendar as seeded: Beijing time, Mon–Fri 09:00–12:00 and 14:00–18:00, holidays off. */
const deepseek: PeakHours = {
  timeZone: 'Asia/Shanghai',
  weekdays: [1, 2, 3, 4, 5],
  ranges: [
    { from: '09:00', to: '12:00' },
    { from: '14:00', to: '18:00' },
  ],
  holidays: ['2026-10-01', '2026-10-02'],
};

describe('isPeakAt', () => {
  it.each([
    // Wednesday 2026-12-02 in Beijing (UTC+8).
    ['2026-12-02T01:00:00Z', true, '09:00 Beijing, the first peak minute'],
    ['2026-12-02T00:59:59Z', false, '08:59:59 Beijing'],
    ['2026-12-02T03:59:00Z', true, '11:59 Beijing'],
    ['2026-12-02T04:00:00Z', false, '12:00 Beijing: `to` is excluded'],
    ['2026-12-02T06:00:00Z', true, '14:00 Beijing'],
    ['2026-12-02T10:00:00Z', false, '18:00 Beijing'],
    ['2026-12-05T02:00:00Z', false, 'Saturday 10:00 Beijing'],
    ['2026-10-01T02:00:00Z', false, 'a holiday (Thursday 10:00 Beijing)'],
    ['2026-12-01T17:30:00Z', false, 'Tuesday 17:30 UTC is Wednesday 01:30 in Beijing'],
    ['2026-12-06T17:00:00Z', false, 'Sunday 17:00 UTC is Monday 01:00 in Beijing: a weekday, outside the ranges'],
    ['2026-12-07T01:30:00Z', true, 'Monday 09:30 in Beijing'],
  ])('%s → %s (%s)', (at, expected) => {
    expect(isPeakAt(deepseek, new Date(at))).toBe(expected);
  });

  it('an empty range list makes every hour off-peak; 00:00–24:00 on every day makes every hour peak', () => {
    const allOff = { ...deepseek, ranges: [] };
    const allPeak: PeakHours = {
      timeZone: 'UTC',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      ranges: [{ from: '00:00', to: '24:00' }],
      holidays: [],
    };
    for (let hour = 0; hour < 24 * 7; hour += 1) {
      const at = new Date(Date.UTC(2026, 11, 7, hour, 30));
      expect(isPeakAt(allOff, at)).toBe(false);
      expect(isPeakAt(allPeak, at)).toBe(true);
    }
  });

  it('follows daylight saving time in the calendar zone', () => {
    const newYork: PeakHours = {
      timeZone: 'America/New_York',
      weekdays: [1, 2, 3, 4, 5],
      ranges: [{ from: '09:00', to: '10:00' }],
      holidays: [],
    };
    // 09:30 in New York: 13:30 UTC in summer (EDT), 14:30 UTC in winter (EST).
    expect(isPeakAt(newYork, new Date('2026-07-15T13:30:00Z'))).toBe(true);
    expect(isPeakAt(newYork, new Date('2026-12-16T14:30:00Z'))).toBe(true);
    expect(isPeakAt(newYork, new Date('2026-12-16T13:30:00Z'))).toBe(false);
  });
});
