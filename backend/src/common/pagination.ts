import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode, type PageQuery } from '#src/contract/index.js';

export const DEFAULT_PAGE_SIZE = 50;

/**
 * `?limit=&cursor=` of every list (docs/api.md: `{items, nextCursor}`). Documented by hand: the OpenAPI
 * plugin reads only `*.dto.ts` files.
 */
export class PageQueryDto implements PageQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 100,
    default: DEFAULT_PAGE_SIZE,
    description: 'Items per page.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'The previous page’s `nextCursor`, as it was given.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/**
 * Keyset cursors: the sort key of the last row sent, opaque to clients. Keysets stay stable while
 * rows are added, so walking a list never skips or repeats a row.
 */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What a cursor field must hold, as the column it is compared with in SQL reads it. */
export const CursorField = {
  /** A `bigint` id: 1 to 2^63 − 1. */
  BigintId: 'bigint-id',
  Uuid: 'uuid',
  /** A `timestamptz`, as the lists write it: ISO 8601 in UTC, to the microsecond. */
  Timestamp: 'timestamp',
} as const;

export type CursorField = (typeof CursorField)[keyof typeof CursorField];

const BIGINT_MAX = 2n ** 63n - 1n;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const utcTimestamp = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?Z$/;

/** A real instant (no 30 February, no hour 24) in years 1–9999, which PostgreSQL reads as written. */
function isUtcTimestamp(value: string): boolean {
  const parts = utcTimestamp.exec(value)?.slice(1).map(Number);
  if (parts === undefined) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = parts;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

function holds(kind: CursorField, value: unknown): boolean {
  if (typeof value !== 'string') return false;
  switch (kind) {
    case CursorField.BigintId:
      return /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= BIGINT_MAX;
    case CursorField.Uuid:
      return uuid.test(value);
    case CursorField.Timestamp:
      return isUtcTimestamp(value);
  }
}

/**
 * The sort key a cursor carries, each field checked against the type of the column it will be
 * compared with: a cursor is client input, and a tampered one (a bigint out of range, an id that is
 * no UUID, a date that is none) is a 400, never a failed cast in SQL.
 */
export function decodeCursor<K extends string>(
  cursor: string | undefined,
  fields: Readonly<Record<K, CursorField>>,
): Record<K, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const key = parsed as Record<string, unknown>;
      const kinds = Object.entries(fields) as [K, CursorField][];
      if (kinds.every(([field, kind]) => holds(kind, key[field]))) {
        return Object.fromEntries(kinds.map(([field]) => [field, key[field]])) as Record<K, string>;
      }
    }
  } catch {
    // Falls through to the 400 below.
  }
  throw new AppError(ErrorCode.ValidationFailed, 'The cursor is not valid.', [
    { field: 'cursor', messages: ['cursor is not valid'] },
  ]);
}

/** Takes one row more than asked to learn whether another page follows. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  render: (row: R) => T,
  keyOf: (row: R) => Record<string, string>,
) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(render),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
