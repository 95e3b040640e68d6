import { fromMinorUnits, toMinorUnits } from '@app/features/top-up-admin/package-dialog';

describe('package prices', () => {
  it('turns a price in the main unit into the smallest unit exactly, by the currency’s decimals', () => {
    expect(toMinorUnits('9.99', 'usd')).toBe(999);
    expect(toMinorUnits('19.9', 'EUR')).toBe(1990);
    expect(toMinorUnits('0.29', 'usd')).toBe(29);
    expect(toMinorUnits('500', 'jpy')).toBe(500);
    expect(toMinorUnits(' 12 ', 'usd')).toBe(1200);
  });

  it('refuses what is not a plain amount in that currency', () => {
    expect(toMinorUnits('9.999', 'usd')).toBeNull();
    expect(toMinorUnits('5.5', 'jpy')).toBeNull();
    expect(toMinorUnits('-1', 'usd')).toBeNull();
    expect(toMinorUnits('1e3', 'usd')).toBeNull();
    expect(toMinorUnits('10', 'us')).toBeNull();
  });

  it('shows a stored price in the main unit', () => {
    expect(fromMinorUnits(999, 'usd')).toBe('9.99');
    expect(fromMinorUnits(500, 'jpy')).toBe('500');
  });
});
