import { AppError } from '#src/common/app-error.js';
import { ErrorCode, type StatsQuery } from '#src/contract/index.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;

/** A stats query's range as instants: `to` defaults to now, `from` to 30 days before `to`; at most 366 days. */
export function statsRange(query: StatsQuery): { from: string; to: string } {
  const to = query.to === undefined ? new Date() : new Date(query.to);
  const from = query.from === undefined ? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS) : new Date(query.from);
  if (!(from < to) || to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new AppError(ErrorCode.ValidationFailed, `from must be before to, at most ${MAX_RANGE_DAYS} days apart.`, [
      { field: 'from', messages: [`from must be before to, at most ${MAX_RANGE_DAYS} days apart`] },
    ]);
  }
  return { from: from.toISOString(), to: to.toISOString() };
}
