/**
 * Credit arithmetic (docs/pricing.md). Credits are whole numbers; per-1k-token rates have up to four
 * decimals and are kept as integers in ten-thousandths, so no float ever touches a price.
 */
export interface ModelPrice {
  /** The public model id clients name. */
  model: string;
  provider: 'deepseek' | 'demo';
  displayName: string;
  /** The model the upstream is asked for (an alias's target, or the id itself). */
  upstreamModel: string;
  /** Request fields this model always adds upstream, over the client's (e.g. `thinking`). */
  requestFields: Readonly<Record<string, unknown>>;
  requestCredits: number;
  /** Credits per 1,000 input tokens that miss DeepSeek's cache, in ten-thousandths (3.0 → 30000). */
  inputPer1kE4: number;
  /** Credits per 1,000 input tokens that hit the cache, in ten-thousandths (the input rate unless set). */
  cachedInputPer1kE4: number;
  outputPer1kE4: number;
  /** What off-peak hours cost, in percent of the peak rates (100 = no discount). */
  offPeakPercent: number;
  /** `max_tokens` when the client names none. */
  defaultOutputTokens: number;
  maxOutputTokens: number;
  contextTokens: number;
  readsImages: boolean;
}

/** The tokens a charge is computed from: DeepSeek's usage, split as it prices them. */
export interface BilledTokens {
  cacheHit: number;
  cacheMiss: number;
  /** Reasoning tokens included (DeepSeek counts them in `completion_tokens`): never added twice. */
  completion: number;
}

/** Ten-thousandths per credit × tokens per rate × percent: the divisor of every charge. */
const DIVISOR = 10_000n * 1_000n * 100n;

/** "2.8000" → 28000, exactly; the database type is numeric(14,4). */
export function rateToTenThousandths(rate: string): number {
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(rate.trim());
  if (!match) throw new Error(`Not a price with at most four decimals: ${rate}`);
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
}

/**
 * requestCredits + ceil((cacheHit × cachedRate + cacheMiss × inputRate + completion × outputRate) / 1000
 * × percent / 100), in exact integer arithmetic. `percent` is 100 at peak and the model's
 * `offPeakPercent` off-peak.
 */
export function creditsFor(price: ModelPrice, tokens: BilledTokens, percent: number): number {
  const variable =
    BigInt(tokens.cacheHit) * BigInt(price.cachedInputPer1kE4) +
    BigInt(tokens.cacheMiss) * BigInt(price.inputPer1kE4) +
    BigInt(tokens.completion) * BigInt(price.outputPer1kE4);
  return price.requestCredits + Number((variable * BigInt(percent) + DIVISOR - 1n) / DIVISOR);
}

/**
 * The worst case of a request: every prompt token at the dearer of the two input rates, and the whole
 * output budget. The charge for any usage within these bounds is never more.
 */
export function holdFor(price: ModelPrice, promptTokenBound: number, maxTokens: number, percent: number): number {
  const dearerInput = Math.max(price.inputPer1kE4, price.cachedInputPer1kE4);
  return creditsFor(
    { ...price, inputPer1kE4: dearerInput },
    { cacheHit: 0, cacheMiss: promptTokenBound, completion: maxTokens },
    percent,
  );
}
