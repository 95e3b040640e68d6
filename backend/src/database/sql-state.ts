/**
 * SQLSTATE codes the backend reacts to. PostgreSQL errors are recognised by code, never by message.
 * The `CG…` codes are raised by CreditGate's own SQL functions (db/migrations).
 */
export const SqlState = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
  CheckViolation: '23514',
  InsufficientPrivilege: '42501',
  InvalidParameterValue: '22023',
  InvalidTextRepresentation: '22P02',
  CharacterNotInRepertoire: '22021',
  UntranslatableCharacter: '22P05',
  NoDataFound: 'P0002',
  AdminShutdown: '57P01',
  CrashShutdown: '57P02',
  CannotConnectNow: '57P03',
  TooManyConnections: '53300',
  /** internal_error; among others "tuple concurrently updated" when two sessions alter one role at once. */
  InternalError: 'XX000',
  SerializationFailure: '40001',
  DeadlockDetected: '40P01',
  ApiKeyRevoked: 'CG401',
  ApiKeyCreditLimit: 'CG402',
  /** reserve_credits (0012): a key's budget, the user's spend limit or the key's model list refuses the hold. */
  SpendControlRefused: 'CG403',
  HoldNotOpen: 'CG409',
  LastAdmin: 'CG423',
  IdempotencyKeyReused: 'CG422',
} as const;

export type SqlState = (typeof SqlState)[keyof typeof SqlState];

/** The SQLSTATE of a `pg` error, wherever TypeORM wrapped it. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = candidate.driverError?.code ?? candidate.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

const unreachableNetworkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * True when the database cannot be reached or is shutting down (503 SERVICE_UNAVAILABLE), as opposed to a query
 * that failed on its own merits.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const state = sqlStateOf(error);
  if (state !== undefined) {
    return (
      state.startsWith('08') ||
      state === SqlState.AdminShutdown ||
      state === SqlState.CrashShutdown ||
      state === SqlState.CannotConnectNow ||
      state === SqlState.TooManyConnections
    );
  }
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && unreachableNetworkCodes.has(code)) return true;
  // pg raises these as plain Errors without a code when a pooled connection dies or the pool times out.
  return (
    typeof message === 'string' &&
    (message === 'Connection terminated unexpectedly' ||
      message === 'timeout exceeded when trying to connect' ||
      message.startsWith('Connection terminated'))
  );
}

/**
 * True for a failure that the same statement may not meet a moment later: the database was out of
 * reach, or the transaction lost a serialization or deadlock race. Errors of the statement itself
 * (bad data, a refused grant) are not: repeating them changes nothing.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return isDatabaseUnavailable(error) || state === SqlState.SerializationFailure || state === SqlState.DeadlockDetected;
}
