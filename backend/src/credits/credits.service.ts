import { Injectable } from '@nestjs/common';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, type PageQueryDto, toPage } from '#src/common/pagination.js';
import type { CreditsView, LedgerItem, ListResponse } from '#src/contract/index.js';
import { CreditsErrors } from '#src/credits/credits.errors.js';
import { LedgerRepository, toLedgerItem } from '#src/credits/ledger.repository.js';
import { Database } from '#src/database/database.service.js';

/** A user's own balance and ledger, read under row-level security. */
@Injectable()
export class CreditsService {
  constructor(
    private readonly db: Database,
    private readonly ledger: LedgerRepository,
  ) {}

  async credits(userId: string): Promise<CreditsView> {
    const account = await this.db.asUser(userId, (tx) => this.ledger.account(tx, userId));
    if (!account) throw CreditsErrors.noAccount();
    return account;
  }

  async ledgerPage(userId: string, query: PageQueryDto): Promise<ListResponse<LedgerItem>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const before = decodeCursor(query.cursor, { id: CursorField.BigintId })?.id;
    const rows = await this.db.asUser(userId, (tx) => this.ledger.page(tx, userId, before, limit + 1));
    return toPage(rows, limit, toLedgerItem, (row) => ({ id: row.id }));
  }
}
