import { AppError } from '#src/common/app-error.js';
import { CursorField, decodeCursor, encodeCursor } from '#src/common/pagination.js';

const tampered = (key: unknown): string => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('decodeCursor', () => {
  const keyset = { createdAt: CursorField.Timestamp, id: CursorField.Uuid } as const;

  it('reads back what encodeCursor wrote', () => {
    const key = { createdAt: '2026-01-31T09:30:00.123456Z', id: '6f1c2b8e-3f5a-4c1d-9e7b-2a4d5c6e7f80' };
    expect(decodeCursor(encodeCursor(key), keyset)).toEqual(key);
    expect(decodeCursor(encodeCursor({ id: '9223372036854775807' }), { id: CursorField.BigintId })).toEqual({
      id: '9223372036854775807',
    });
    expect(decodeCursor(undefined, keyset)).toBeUndefined();
  });

  it.each([
    ['a bigint past 2^63 − 1', { id: '9223372036854775808' }, { id: CursorField.BigintId }],
    ['a negative id', { id: '-1' }, { id: CursorField.BigintId }],
    ['an id that is a number, not a string', { id: 5 }, { id: CursorField.BigintId }],
    ['an id that is no UUID', { createdAt: '2026-01-01T00:00:00Z', id: 'x' }, keyset],
    ['a timestamp that is none', { createdAt: 'garbage', id: '6f1c2b8e-3f5a-4c1d-9e7b-2a4d5c6e7f80' }, keyset],
    ['30 February', { createdAt: '2026-02-30T00:00:00Z', id: '6f1c2b8e-3f5a-4c1d-9e7b-2a4d5c6e7f80' }, keyset],
    ['a missing field', { createdAt: '2026-01-01T00:00:00Z' }, keyset],
    ['an array', ['2026-01-01T00:00:00Z'], keyset],
  ])('refuses %s with 400', (_what, key, fields: Readonly<Record<string, CursorField>>) => {
    expect(() => decodeCursor(tampered(key), fields)).toThrow(AppError);
  });

  it('refuses text that is not base64url JSON', () => {
    expect(() => decodeCursor('%%%not-a-cursor', keyset)).toThrow(AppError);
  });
});
