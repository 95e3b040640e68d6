import { AppError } from '#src/common/app-error.js';
import { bodyLimitsFor, checkJsonShape } from '#src/common/json-body.js';
import { ErrorCode } from '#src/contract/index.js';

const limits = { bytes: 1_000_000, members: 10, depth: 3 };
const shapeError = (json: string): ErrorCode | undefined => {
  try {
    checkJsonShape(Buffer.from(json), limits);
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : undefined;
  }
};

describe('checkJsonShape', () => {
  it.each([
    ['three levels', '{"a":[{"b":1}]}'],
    ['brackets and commas inside strings', '{"a":"[[[[,,,,,,,,,,,,{{{{"}'],
    ['escaped quotes inside strings', '{"a":"\\"[[[[\\\\","b":"]]]]"}'],
    ['multi-byte text', '{"名前":"😀[[[[[[","b":"ü"}'],
    ['ten members', '[1,2,3,4,5,6,7,8,9,10]'],
  ])('passes %s', (_what, json) => {
    expect(shapeError(json)).toBeUndefined();
  });

  it.each([
    ['four levels', '{"a":[{"b":[1]}]}', ErrorCode.ValidationFailed],
    ['5,000 levels', `${'['.repeat(5000)}${']'.repeat(5000)}`, ErrorCode.ValidationFailed],
    ['eleven members', '[1,2,3,4,5,6,7,8,9,10,11]', ErrorCode.PayloadTooLarge],
    [
      'keys past the count',
      '{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":{"k":0}}',
      ErrorCode.PayloadTooLarge,
    ],
  ])('refuses %s', (_what, json, code) => {
    expect(shapeError(json)).toBe(code);
  });
});

describe('bodyLimitsFor', () => {
  it('gives auth routes 8 KiB, chats the configured limit, and other routes 64 KiB', () => {
    expect(bodyLimitsFor('/api/auth/logout', 1_048_576).bytes).toBe(8192);
    expect(bodyLimitsFor('/API/Auth/Login/', 1_048_576).bytes).toBe(8192);
    expect(bodyLimitsFor('/v1/chat/completions', 1_048_576).bytes).toBe(1_048_576);
    expect(bodyLimitsFor('/api/ai/chat/', 1_048_576).members).toBe(10_000);
    expect(bodyLimitsFor('/api/keys', 1_048_576)).toMatchObject({ bytes: 65_536, members: 1000 });
    expect(bodyLimitsFor('/api/keys', 2048).bytes).toBe(2048);
  });
});
