import { Injectable } from '@nestjs/common';
import { toAdminUser, AdminUsersRepository } from '#src/admin/admin-users.repository.js';
import type { RechargeDto, UpdateUserAccessDto, UserSearchQueryDto } from '#src/admin/dto/admin-users.dto.js';
import { AdminErrors, adminErrorFor } from '#src/admin/admin.errors.js';
import { AppError } from '#src/common/app-error.js';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '#src/common/pagination.js';
import {
  type AdminUserDetail,
  type AdminUserItem,
  ErrorCode,
  type ListResponse,
  type RechargeResponse,
} from '#src/contract/index.js';
import { CreditsRepository } from '#src/credits/credits.repository.js';
import { LedgerRepository, toLedgerItem } from '#src/credits/ledger.repository.js';
import { Database } from '#src/database/database.service.js';

const RECENT_LEDGER_ROWS = 20;

@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: AdminUsersRepository,
    private readonly credits: CreditsRepository,
    private readonly ledger: LedgerRepository,
    private readonly db: Database,
  ) {}

  async list(query: UserSearchQueryDto): Promise<ListResponse<AdminUserItem>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeCursor(query.cursor, { createdAt: CursorField.Timestamp, id: CursorField.Uuid });
    const rows = await this.users.page({
      limit: limit + 1,
      ...(query.search ? { search: query.search } : {}),
      ...(after === undefined ? {} : { after }),
    });
    return toPage(rows, limit, toAdminUser, (row) => ({ createdAt: row.cursor_at, id: row.id }));
  }

  async detail(id: string): Promise<AdminUserDetail> {
    const row = await this.users.find(id);
    if (!row) throw AdminErrors.noSuchUser();
    const [openHolds, ledger, usage] = await Promise.all([
      this.users.openHolds(id),
      this.ledger.page(this.db, id, undefined, RECENT_LEDGER_ROWS),
      this.users.usageSummary(id),
    ]);
    return { ...toAdminUser(row), openHolds, recentLedger: ledger.map(toLedgerItem), usage };
  }

  /** `adminToken`: the acting admin's access token, which the SQL function verifies itself. */
  async updateAccess(adminToken: string, userId: string, change: UpdateUserAccessDto): Promise<AdminUserDetail> {
    if (change.role === undefined && change.disabled === undefined) {
      throw new AppError(ErrorCode.ValidationFailed, 'Nothing to change: give role and/or disabled.', [
        { field: 'role', messages: ['role or disabled is required'] },
      ]);
    }
    try {
      await this.users.setAccess({
        adminToken,
        userId,
        role: change.role ?? null,
        disabled: change.disabled ?? null,
        reason: change.reason ?? null,
      });
    } catch (error) {
      throw adminErrorFor(error, 'change access') ?? error;
    }
    return this.detail(userId);
  }

  recharge(adminToken: string, recharge: RechargeDto, idempotencyKey: string | undefined): Promise<RechargeResponse> {
    return this.credits.addCredits({
      adminToken,
      userId: recharge.userId,
      amount: recharge.amount,
      reason: recharge.reason,
      idempotencyKey: idempotencyKey ?? null,
    });
  }
}
