import { creditsFor, type ModelPrice, promptTokenBound, rateToTenThousandths } from '#src/credits/pricing.js';

const deepseekChat: ModelPrice = {
  model: 'deepseek-chat',
  provider: 'deepseek',
  displayName: 'DeepSeek',
  requestCredits: 1,
  inputPer1kE4: 28_000,
  outputPer1kE4: 42_000,
  maxOutputTokens: 8192,
  contextTokens: 131072,
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

  it('charges the docs/pricing.md example: 200 in, 500 out on deepseek-chat = 4 credits', () => {
    expect(creditsFor(deepseekChat, 200, 500)).toBe(4);
  });

  it('rounds the token part up to a whole credit, and charges only the request fee for no tokens', () => {
    expect(creditsFor(deepseekChat, 0, 0)).toBe(1);
    expect(creditsFor(deepseekChat, 1, 0)).toBe(2);
    // 0.1 + 0.2 is not 0.3 in floating point; here it is exact: 2.8/1000 × 1000 ... = whole credits.
    expect(creditsFor({ ...deepseekChat, inputPer1kE4: 1_000, outputPer1kE4: 2_000 }, 1000, 1000)).toBe(1 + 1);
    expect(creditsFor(deepseekChat, 1000, 1000)).toBe(1 + 7);
  });

  it('never charges less for more tokens', () => {
    let previous = 0;
    for (let tokens = 0; tokens < 5000; tokens += 37) {
      const credits = creditsFor(deepseekChat, tokens, tokens);
      expect(credits).toBeGreaterThanOrEqual(previous);
      previous = credits;
    }
  });

  it('bounds prompt tokens by UTF-8 bytes plus the template', () => {
    expect(promptTokenBound([{ content: 'hello' }])).toBe(5 + 8);
    expect(promptTokenBound([{ content: 'żółw' }, { content: '' }])).toBe(7 + 8 + 8);
  });
});
