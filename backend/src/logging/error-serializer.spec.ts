import { serializeError } from '#src/logging/error-serializer.js';

/** The fields pg's DatabaseError carries, with data in those that quote it. */
function databaseError(): Error {
  return Object.assign(new Error('invalid input syntax for type uuid: "secret prompt"'), {
    name: 'error',
    code: '22P02',
    severity: 'ERROR',
    detail: 'secret prompt',
    hint: 'secret prompt',
    where: 'PL/pgSQL function settle(uuid,text) line 3 at SQL statement "secret prompt"',
    routine: 'string_to_uuid',
    table: 'usage_logs',
  });
}

describe('serializeError', () => {
  it('describes a database error by its code and names only', () => {
    const serialized = JSON.stringify(serializeError(databaseError()));

    expect(JSON.parse(serialized)).toMatchObject({ code: '22P02', routine: 'string_to_uuid', table: 'usage_logs' });
    expect(serialized).not.toContain('secret prompt');
  });

  it('does the same for a database error wrapped as another error’s cause, or by TypeORM', () => {
    const wrapped = new Error('settle failed', { cause: databaseError() });
    const typeorm = Object.assign(new Error('secret prompt'), {
      driverError: databaseError(),
      query: 'SELECT secret prompt',
      parameters: ['secret prompt'],
    });

    expect(JSON.stringify(serializeError(wrapped))).not.toContain('secret prompt');
    expect(JSON.stringify(serializeError(wrapped))).toContain('settle failed');
    expect(JSON.stringify(serializeError(typeorm))).not.toContain('secret prompt');
  });

  it('keeps the type, message and stack of other errors, and nothing they merely carry', () => {
    const error = Object.assign(new TypeError('cannot read x'), { config: { headers: { authorization: 'k' } } });

    expect(serializeError(error)).toEqual({
      type: 'TypeError',
      message: 'cannot read x',
      stack: expect.stringContaining('cannot read x') as string,
    });
  });
});
