import { createHash, randomBytes } from 'node:crypto';
import { REDEMPTION_CODE_PREFIX } from '#src/contract/index.js';

/** RFC 4648 base32: no 0, 1, 8 or 9, so no code reads as another (O/0, I/1, B/8). */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** 15 random bytes = 120 bits = 24 base32 characters: guessing one code among a billion takes ~10^27 tries. */
const RANDOM_BYTES = 15;
const GROUP = 4;
const prefixLetters = REDEMPTION_CODE_PREFIX.replace(/[^A-Z0-9]/g, '');
const normalisedPattern = new RegExp(`^${prefixLetters}[${BASE32}]{${(RANDOM_BYTES * 8) / 5}}$`);

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += BASE32.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  return text;
}

/** A new code, as shown to the admin once: `CG-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`. */
export function newRedemptionCode(): string {
  const random = base32(randomBytes(RANDOM_BYTES));
  return REDEMPTION_CODE_PREFIX + (random.match(new RegExp(`.{${GROUP}}`, 'g')) ?? []).join('-');
}

/**
 * The code as stored and compared: upper case, without the dashes and spaces people type or paste
 * (`cg-abcd efgh…` is the same code). Undefined when it cannot be one of ours at all.
 */
export function normaliseRedemptionCode(typed: string): string | undefined {
  const normalised = typed.replace(/[\s-]/g, '').toUpperCase();
  return normalisedPattern.test(normalised) ? normalised : undefined;
}

/** SHA-256 of the normalised code: the code is 120 random bits, so a slow hash would add nothing. */
export function hashRedemptionCode(normalised: string): Buffer {
  return createHash('sha256').update(normalised, 'utf8').digest();
}

/** The last four characters, all that is ever shown of a code again. */
export const lastFourOf = (normalised: string): string => normalised.slice(-4);
