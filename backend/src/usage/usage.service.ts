import { Injectable } from '@nestjs/common';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '#src/common/pagination.js';
import type { AdminUsageItem, ListResponse, UsageItem } from '#src/contract/index.js';
import { Database, type SqlExecutor } from '#src/database/database.service.js';
import type { AdminUsageQueryDto, UsageQueryDto } from '#src/usage/dto/usage-query.dto.js';
import {
  toAdminUsageItem,
  toUsageItem,
  type UsageFilter,
  UsageRepository,
  type UsageRow,
} from '#src/usage/usage.repository.js';

@Injectable()
export class UsageService {
  constructor(
    private readonly db: Database,
    private readonly usage: UsageRepository,
  ) {}

  /** The caller's own usage, read under row-level security. */
  own(userId: string, query: UsageQueryDto): Promise<ListResponse<UsageItem>> {
    return this.db.asUser(userId, (tx) => this.page(tx, query, userId, toUsageItem));
  }

  /** Everyone's usage (admins). */
  all(query: AdminUsageQueryDto): Promise<ListResponse<AdminUsageItem>> {
    return this.page(this.db, query, query.userId, toAdminUsageItem);
  }

  private async page<T>(
    sql: SqlExecutor,
    query: UsageQueryDto,
    userId: string | undefined,
    render: (row: UsageRow) => T,
  ): Promise<ListResponse<T>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, { createdAt: CursorField.Timestamp, id: CursorField.Uuid });
    const filter: UsageFilter = {
      limit: limit + 1,
      ...(userId === undefined ? {} : { userId }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.model === undefined ? {} : { model: query.model }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(after === undefined ? {} : { after }),
    };
    const rows = await this.usage.page(sql, filter);
    return toPage(rows, limit, render, (row) => ({ createdAt: row.cursor_at, id: row.id }));
  }
}
