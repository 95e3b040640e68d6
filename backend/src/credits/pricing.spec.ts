import { creditsFor, holdFor, type ModelPrice, rateToTenThousandths } from '#src/credits/pricing.js';

/** deepseek-flash as seeded: 0.06 / 3.0 / 12.0 credits per 1k, off-peak 50 %. */
const flash: ModelPrice = {
  model: 'deepseek-flash',
  provider: 'deepseek',
  displayName: 'DeepSeek-V4.1-Flash',
  upstreamModel: 'deepseek-flash',
  requestFields: {},
  requestCredits: 0,
  inputPer1kE4: 30_000,
  cachedInputPer1kE4: 600,
  outputPer1kE4: 120_000,
  offPeakPercent: 50,
  defaultOutputTokens: 32_768,
  maxOutputTokens: 393_216,
  contextTokens: 1_048_576,
  readsImages: true,
};

describe('pricing', () => {
  it.each([
    ['2.8000', 28_000],
    ['4.2', 42_000],
    ['0.0001', 1],
    ['0', 0],
    ['1234.5678', 12_345_678],
  ])('reads the rate %s exactly as %i ten-thousandths', (rate, expected) => {
    expect(rateToTenThousandths(rate)).toBe(expected);
  });

  it.each(['-1', '1.23456', 'abc', ''])('refuses %p as a rate', (rate) => {
    expect(() => rateToTenThousandths(rate)).toThrow();
  });

  it('charges the docs/pricing.md worked example: 13 credits off-peak, 25 at peak', () => {
    const tokens = { cacheHit: 8000, cacheMiss: 2000, completion: 1500 };
    expect(creditsFor(flash, tokens, 50)).toBe(13);
    expect(creditsFor(flash, tokens, 100)).toBe(25);
    expect(creditsFor(flash, { cacheHit: 0, cacheMiss: 10_000, completion: 1500 }, 50)).toBe(24);
  });

  it('prices cache hits at the cached rate and misses at the input rate', () => {
    // 1,000 hits at 0.06 = 0.06 → 1 credit; 1,000 misses at 3.0 = 3 credits.
    expect(creditsFor(flash, { cacheHit: 1000, cacheMiss: 0, completion: 0 }, 100)).toBe(1);
    expect(creditsFor(flash, { cacheHit: 0, cacheMiss: 1000, completion: 0 }, 100)).toBe(3);
    expect(creditsFor(flash, { cacheHit: 100_000, cacheMiss: 0, completion: 0 }, 100)).toBe(6);
  });

  it('rounds the whole token part up once, after the off-peak percentage, exactly', () => {
    expect(creditsFor(flash, { cacheHit: 0, cacheMiss: 0, completion: 0 }, 100)).toBe(0);
    expect(creditsFor({ ...flash, requestCredits: 1 }, { cacheHit: 0, cacheMiss: 0, completion: 0 }, 50)).toBe(1);
    // 1 output token: 0.012 credits at peak, 0.006 off-peak: 1 either way.
    expect(creditsFor(flash, { cacheHit: 0, cacheMiss: 0, completion: 1 }, 100)).toBe(1);
    expect(creditsFor(flash, { cacheHit: 0, cacheMiss: 0, completion: 1 }, 50)).toBe(1);
    // 0.1 + 0.2 is not 0.3 in floating point; here the sum is exact: 1,000 × 0.1 + 1,000 × 0.2 = 0.3 → 1.
    const tenths = { ...flash, inputPer1kE4: 1_000, outputPer1kE4: 2_000 };
    expect(creditsFor(tenths, { cacheHit: 0, cacheMiss: 1000, completion: 1000 }, 100)).toBe(1);
    // 20,833 × 0.012 = 249.996 → 250; 20,000 × 0.012 = 240, at 50 % exactly 120, not 121.
    expect(creditsFor(flash, { cacheHit: 0, cacheMiss: 0, completion: 20_833 }, 100)).toBe(250);
    expect(creditsFor(flash, { cacheHit: 0, cacheMiss: 0, completion: 20_000 }, 50)).toBe(120);
  });

  it('never charges less for more tokens, at any percentage', () => {
    for (const percent of [1, 50, 100]) {
      let previous = 0;
      for (let tokens = 0; tokens < 50_000; tokens += 377) {
        const credits = creditsFor(flash, { cacheHit: tokens, cacheMiss: tokens, completion: tokens }, percent);
        expect(credits).toBeGreaterThanOrEqual(previous);
        previous = credits;
      }
    }
  });

  it('holds at least what any usage within the bounds can be charged, cache hits included', () => {
    for (const cachedInputPer1kE4 of [600, 30_000, 90_000]) {
      const price = { ...flash, cachedInputPer1kE4 };
      const hold = holdFor(price, 5000, 2000, 100);
      for (const hit of [0, 2500, 5000]) {
        expect(creditsFor(price, { cacheHit: hit, cacheMiss: 5000 - hit, completion: 2000 }, 100)).toBeLessThanOrEqual(
          hold,
        );
      }
    }
  });
});
