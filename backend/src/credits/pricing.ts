/**
 * Credit arithmetic (docs/pricing.md). Credits are whole numbers; per-1k-token rates have up to four
 * decimals and are kept as integers in ten-thousandths, so no float ever touches a price.
 */
export interface ModelPrice {
  model: string;
  provider: 'deepseek' | 'demo';
  displayName: string;
  requestCredits: number;
  /** Credits per 1,000 input tokens, in ten-thousandths (2.8 → 28000). */
  inputPer1kE4: number;
  outputPer1kE4: number;
  maxOutputTokens: number;
  contextTokens: number;
}

const TEN_THOUSANDTHS_PER_1K = 10_000n * 1_000n;

/** "2.8000" → 28000, exactly; the database type is numeric(14,4). */
export function rateToTenThousandths(rate: string): number {
  const match = /^(\d+)(?:\.(\d{1,4}))?$/.exec(rate.trim());
  if (!match) throw new Error(`Not a price with at most four decimals: ${rate}`);
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 10_000 + Number(fraction.padEnd(4, '0'));
}

/** requestCredits + ceil(prompt × in/1000 + completion × out/1000): both the hold and the charge. */
export function creditsFor(price: ModelPrice, promptTokens: number, completionTokens: number): number {
  const variable =
    BigInt(promptTokens) * BigInt(price.inputPer1kE4) + BigInt(completionTokens) * BigInt(price.outputPer1kE4);
  const roundedUp = (variable + TEN_THOUSANDTHS_PER_1K - 1n) / TEN_THOUSANDTHS_PER_1K;
  return price.requestCredits + Number(roundedUp);
}

/** Tokens DeepSeek's chat template adds around each message (role markers), generously counted. */
const TEMPLATE_TOKENS_PER_MESSAGE = 8;

/**
 * An upper bound of the prompt's tokens without running the tokenizer: DeepSeek's byte-level BPE
 * never makes more tokens than the text has UTF-8 bytes, plus the template's few per message.
 */
export function promptTokenBound(messages: readonly { content: string }[]): number {
  return messages.reduce(
    (total, message) => total + Buffer.byteLength(message.content, 'utf8') + TEMPLATE_TOKENS_PER_MESSAGE,
    0,
  );
}
