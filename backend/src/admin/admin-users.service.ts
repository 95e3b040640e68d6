import { Injectable } from '@nestjs/common';
import { toAdminUser, AdminUsersRepository } from '#src/admin/admin-users.repository.js';
import type {
  AdminUpdateApiKeyDto,
  RechargeDto,
  UpdateUserAccessDto,
  UserSearchQueryDto,
} from '#src/admin/dto/admin-users.dto.js';
import { AdminErrors, adminErrorFor } from '#src/admin/admin.errors.js';
import { ApiKeysService } from '#src/api-keys/api-keys.service.js';
import { AppError } from '#src/common/app-error.js';
import { CursorField, decodeCursor, DEFAULT_PAGE_SIZE, toPage } from '#src/common/pagination.js';
import {
  type AdminUserDetail,
  type AdminUserItem,
  type ApiKeyView,
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
    private readonly apiKeys: ApiKeysService,
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
    const [openHolds, ledger, usage, spend, apiKeys] = await Promise.all([
      this.users.openHolds(id),
      this.ledger.page(this.db, id, undefined, RECENT_LEDGER_ROWS),
      this.users.usageSummary(id),
      this.users.spendOf(id),
      this.apiKeys.list(id),
    ]);
    return { ...toAdminUser(row), openHolds, recentLedger: ledger.map(toLedgerItem), usage, ...spend, apiKeys };
  }

  /**
   * Role, disabled flag and spend limit, those given, in one transaction. `adminToken`: the acting
   * admin's access token, which each SQL function verifies itself.
   */
  async updateAccess(adminToken: string, userId: string, change: UpdateUserAccessDto): Promise<AdminUserDetail> {
    const { role, disabled, spendLimit } = change;
    if (role === undefined && disabled === undefined && spendLimit === undefined) {
      throw new AppError(ErrorCode.ValidationFailed, 'Nothing to change: give role, disabled and/or spendLimit.', [
        { field: 'role', messages: ['role, disabled or spendLimit is required'] },
      ]);
    }
    const reason = change.reason ?? null;
    try {
      await this.db.transaction(async (tx) => {
        if (role !== undefined || disabled !== undefined) {
          await this.users.setAccess(
            { adminToken, userId, role: role ?? null, disabled: disabled ?? null, reason },
            tx,
          );
        }
        if (spendLimit !== undefined) {
          const limit = spendLimit && { credits: spendLimit.credits, period: spendLimit.period };
          await this.users.setSpendLimit({ adminToken, userId, spendLimit: limit, reason }, tx);
        }
      });
    } catch (error) {
      throw adminErrorFor(error, 'change users') ?? error;
    }
    return this.detail(userId);
  }

  /** The user's keys that are not revoked, with their limits and period's spend. */
  async apiKeysOf(userId: string): Promise<ApiKeyView[]> {
    if (!(await this.users.find(userId))) throw AdminErrors.noSuchUser();
    return this.apiKeys.list(userId);
  }

  /** Changes the limits of a key of the user's; verified and audited by the SQL function. */
  async updateApiKey(
    adminToken: string,
    userId: string,
    keyId: string,
    change: AdminUpdateApiKeyDto,
  ): Promise<ApiKeyView> {
    const { reason, ...limits } = change;
    try {
      return await this.apiKeys.adminUpdate(adminToken, userId, keyId, limits, reason ?? null);
    } catch (error) {
      throw adminErrorFor(error, 'change API keys') ?? error;
    }
  }

  /** Revokes a key of the user's; verified and audited by the SQL function. */
  async revokeApiKey(adminToken: string, userId: string, keyId: string): Promise<void> {
    try {
      await this.apiKeys.adminRevoke(adminToken, userId, keyId);
    } catch (error) {
      throw adminErrorFor(error, 'revoke API keys') ?? error;
    }
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
