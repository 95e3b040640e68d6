import { describePeakHoursChange, describeRanges, describeWeekdays, isTimeZone } from '@app/features/models/peak-hours';
import { describePriceChange, describeRequestFields } from '@app/features/models/price-change';

describe('peak calendar and price wording', () => {
  it('names weekdays as spans', () => {
    expect(describeWeekdays([5, 1, 2, 3, 4])).toBe('Mon–Fri');
    expect(describeWeekdays([1, 3, 6, 7])).toBe('Mon, Wed, Sat–Sun');
    expect(describeWeekdays([])).toBe('no day');
  });

  it('says that no ranges means every hour is off-peak', () => {
    expect(describeRanges([{ from: '09:00', to: '12:00' }])).toBe('09:00–12:00');
    expect(describeRanges([])).toBe('none (every hour is off-peak)');
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone(' Asia/Shanghai')).toBe(false);
  });

  it('describes a calendar change by what changed', () => {
    const before = { timeZone: 'Asia/Shanghai', weekdays: [1, 2, 3, 4, 5], ranges: [], holidays: ['2026-10-01'] };
    expect(describePeakHoursChange({ before, after: { ...before, holidays: ['2026-10-01', '2027-02-06'] } })).toBe(
      'holidays +2027-02-06',
    );
    expect(
      describePeakHoursChange({
        before,
        after: { ...before, timeZone: 'UTC', weekdays: [1], holidays: [], ranges: [{ from: '09:00', to: '24:00' }] },
      }),
    ).toBe(
      'zone Asia/Shanghai → UTC; days Mon–Fri → Mon; hours none (every hour is off-peak) → 09:00–24:00; holidays −2026-10-01',
    );
  });

  it('describes a price change with the cache-hit and off-peak fields, old audit rows unchanged', () => {
    const before = {
      enabled: true,
      requestCredits: 0,
      inputCreditsPer1k: 3,
      cachedInputCreditsPer1k: 3,
      outputCreditsPer1k: 12,
      offPeakPercent: 100,
      defaultOutputTokens: 8192,
    };
    expect(
      describePriceChange({ before, after: { ...before, cachedInputCreditsPer1k: 0.06, offPeakPercent: 50 } }),
    ).toBe('cache hit/1k 3 → 0.06; off-peak % 100 → 50');
    const old = { enabled: true, requestCredits: 1, inputCreditsPer1k: 2, outputCreditsPer1k: 4 };
    expect(describePriceChange({ before: old, after: { ...old, requestCredits: 7 } })).toBe('per request 1 → 7');
  });

  it('puts fixed request fields in words', () => {
    expect(describeRequestFields({ thinking: { type: 'disabled' } })).toBe('thinking disabled');
    expect(describeRequestFields({})).toBe('');
    expect(describeRequestFields({ temperature: 0 })).toBe('temperature: 0');
  });
});
