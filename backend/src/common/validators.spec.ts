import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  canonicalTimestamp,
  IsDecimal,
  IsEmailAddress,
  isStorableText,
  toStorableText,
} from '#src/common/validators.js';

describe('text PostgreSQL can store', () => {
  it('tells U+0000 and unpaired surrogates from everything else', () => {
    expect(isStorableText('plain, ü, 😀, \u2400')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('x\udfff')).toBe(false);
    expect(isStorableText('\ud83d\ude00')).toBe(true);
  });

  it('replaces each with U+FFFD and keeps the rest', () => {
    expect(toStorableText('a\u0000b\ud800c😀')).toBe('a\uFFFDb\uFFFDc😀');
  });
});

describe('canonicalTimestamp', () => {
  it.each([
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T09:30:00Z', '2026-01-31T09:30:00.000Z'],
    ['2026-01-31T09:30Z', '2026-01-31T09:30:00.000Z'],
    ['2026-01-31T09:30:00.123456Z', '2026-01-31T09:30:00.123Z'],
    ['2026-01-31T09:30:00+02:00', '2026-01-31T07:30:00.000Z'],
    ['2026-01-31 09:30:00', '2026-01-31T09:30:00.000Z'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59.000Z'],
  ])('reads %s as %s', (text, instant) => {
    expect(canonicalTimestamp(text)).toBe(instant);
  });

  it.each([
    '2026-W01-1',
    '2026-001',
    '2026-01',
    '2026',
    '-2026-01-01',
    '+275760-09-13T00:00:00Z',
    '2026-02-30',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00Z',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00+01:00',
    'yesterday',
  ])('refuses %s', (text) => {
    expect(canonicalTimestamp(text)).toBeUndefined();
  });
});

describe('decorators that never throw on odd input', () => {
  class Price {
    @IsDecimal(4)
    rate!: number;
  }
  class Person {
    @IsEmailAddress()
    email!: string;
  }
  const errorsOf = (type: new () => object, plain: object) => validateSync(plainToInstance(type, plain)).length;

  it.each([
    [0.0001, 0],
    [1.2345, 0],
    [1_000_000, 0],
    [1e-7, 1],
    [0.00001, 1],
    [1e21, 0],
    [Number.POSITIVE_INFINITY, 1],
    [Number.NaN, 1],
  ])('IsDecimal(4) on %s: %i errors', (rate, errors) => {
    expect(errorsOf(Price, { rate })).toBe(errors);
  });

  it('IsEmailAddress refuses an unpaired surrogate instead of throwing', () => {
    expect(errorsOf(Person, { email: 'a\ud800@example.test' })).toBe(1);
    expect(errorsOf(Person, { email: 'a\u0000@example.test' })).toBe(1);
    expect(errorsOf(Person, { email: '=1+2@example.test' })).toBe(0);
  });
});
