import { sqlStateOf } from '#src/database/sql-state.js';

/**
 * Fields of a PostgreSQL error that name things (SQLSTATE, the server routine, the constraint, table,
 * column or type) and never quote data. Its `message`, `detail`, `hint`, `where` and `internalQuery`
 * may quote a parameter's value, a row, or a PL/pgSQL statement with its values: prompt and answer
 * text, e-mail addresses. Those never reach a log line.
 */
const databaseIdentifierFields = [
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'constraint',
  'dataType',
] as const;

const MAX_CAUSES = 3;
const MAX_STACK_FRAMES = 12;

type Serialized = Record<string, unknown>;

/** The `at …` lines of a stack: without the first line, which repeats the message. */
export function stackFrames(error: unknown): string | undefined {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return undefined;
  const frames = error.stack.split('\n').filter((line) => line.trimStart().startsWith('at '));
  return frames.slice(0, MAX_STACK_FRAMES).join('\n');
}

function typeOf(error: object): string {
  const constructorName = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof constructorName === 'string' && constructorName !== 'Object') return constructorName;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'Object';
}

function serialize(error: unknown, depth: number): Serialized | undefined {
  if (typeof error !== 'object' || error === null) {
    return error === undefined ? undefined : { type: typeof error };
  }
  const sqlState = sqlStateOf(error);
  if (sqlState !== undefined) {
    // TypeORM wraps pg's error (and adds the query and its parameters); the names are on pg's.
    const database = ((error as { driverError?: unknown }).driverError ?? error) as Record<string, unknown>;
    const names = Object.fromEntries(
      databaseIdentifierFields.flatMap((field) =>
        typeof database[field] === 'string' ? [[field, database[field]]] : [],
      ),
    );
    return { type: typeOf(error), code: sqlState, ...names, stack: stackFrames(error) };
  }
  const { message, code, cause } = error as { message?: unknown; code?: unknown; cause?: unknown };
  return {
    type: typeOf(error),
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(error instanceof Error && typeof error.stack === 'string' ? { stack: error.stack } : {}),
    ...(cause !== undefined && depth < MAX_CAUSES ? { cause: serialize(cause, depth + 1) } : {}),
  };
}

/**
 * pino's `err` serializer: what a log line may say about an error. Database errors are described
 * by their codes and names only (see `databaseIdentifierFields`); other errors by type, message,
 * code and stack, and their causes the same way. Properties an error merely carries (a failed
 * request's options, a query's parameters, a response body) are left out: they are where content
 * and secrets hide. pino-http hands the serializer its standard form, whose `raw` is the error.
 */
export function serializeError(error: unknown): unknown {
  const raw = typeof error === 'object' && error !== null && 'raw' in error ? error.raw : error;
  return serialize(raw, 0);
}
