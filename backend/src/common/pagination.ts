import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AppError } from '#src/common/app-error.js';
import { ErrorCode, type PageQuery } from '#src/contract/index.js';

export const DEFAULT_PAGE_SIZE = 50;

/** `?limit=&cursor=` of every list (SPEC §2: `{items, nextCursor}`). */
export class PageQueryDto implements PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

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

export function decodeCursor<K extends string>(
  cursor: string | undefined,
  fields: readonly K[],
): Record<K, string> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (fields.every((field) => typeof parsed[field] === 'string')) return parsed as Record<K, string>;
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
