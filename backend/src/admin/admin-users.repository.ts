import { Injectable } from '@nestjs/common';
import type {
  AdminUserItem,
  OpenHold,
  PeriodSpend,
  Role,
  SpendBudget,
  SpendPeriod,
  UsageSummary,
} from '#src/contract/index.js';
import { Database, type SqlExecutor } from '#src/database/database.service.js';

interface UserRow {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  created_at: Date;
  balance: string;
  held: string;
  cursor_at: string;
}

export const toAdminUser = (row: UserRow): AdminUserItem => ({
  id: row.id,
  email: row.email,
  role: row.role,
  disabled: row.disabled,
  createdAt: row.created_at.toISOString(),
  credits: {
    balance: Number(row.balance),
    held: Number(row.held),
    available: Number(row.balance) - Number(row.held),
  },
});

/** `%`, `_` and `\` in a search are literal characters, not LIKE wildcards. */
const likePattern = (search: string): string => `%${search.replace(/[\\%_]/g, '\\$&')}%`;

const userColumns = `u.id, u.email, u.role, u.disabled, u.created_at, a.balance, a.held,
  to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`;

@Injectable()
export class AdminUsersRepository {
  constructor(private readonly db: Database) {}

  /** Newest first; `search` matches part of the e-mail in any case. */
  page(filter: { search?: string; after?: { createdAt: string; id: string }; limit: number }): Promise<UserRow[]> {
    return this.db.rows<UserRow>(
      `SELECT ${userColumns}
         FROM users u JOIN credit_accounts a ON a.user_id = u.id
        WHERE ($1::text IS NULL OR u.email ILIKE $1::text ESCAPE '\\')
          AND ($2::timestamptz IS NULL OR (u.created_at, u.id) < ($2::timestamptz, $3::uuid))
        ORDER BY u.created_at DESC, u.id DESC
        LIMIT $4::integer`,
      [
        filter.search ? likePattern(filter.search) : null,
        filter.after?.createdAt ?? null,
        filter.after?.id ?? null,
        filter.limit,
      ],
    );
  }

  find(id: string): Promise<UserRow | undefined> {
    return this.db.first<UserRow>(
      `SELECT ${userColumns} FROM users u JOIN credit_accounts a ON a.user_id = u.id WHERE u.id = $1::uuid`,
      [id],
    );
  }

  async openHolds(userId: string): Promise<OpenHold[]> {
    const rows = await this.db.rows<{ id: string; amount: string; created_at: Date; expires_at: Date }>(
      `SELECT id, amount, created_at, expires_at FROM credit_holds
        WHERE user_id = $1::uuid AND status = 'open' ORDER BY created_at`,
      [userId],
    );
    return rows.map((row) => ({
      id: row.id,
      amount: Number(row.amount),
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
    }));
  }

  /**
   * The user's spend limit, and what it spent (charged + held, every key and login) in the limit's
   * current period — a calendar month without a limit — through the functions the reservation checks with.
   */
  async spendOf(userId: string): Promise<{ spendLimit: SpendBudget | null; spend: PeriodSpend }> {
    const row = await this.db.first<{
      spend_limit_credits: string | null;
      spend_limit_period: SpendPeriod | null;
      period: SpendPeriod;
      period_start: Date;
      period_end: Date;
      spent: string;
    }>(
      `SELECT u.spend_limit_credits, u.spend_limit_period, coalesce(u.spend_limit_period, 'month') AS period,
              p.period_start, p.period_end, user_period_spend(u.id, p.period_start, p.period_end) AS spent
         FROM users u CROSS JOIN LATERAL spend_period_bounds(coalesce(u.spend_limit_period, 'month'), now()) p
        WHERE u.id = $1::uuid`,
      [userId],
    );
    if (!row) throw new Error(`no user ${userId}`);
    return {
      spendLimit:
        row.spend_limit_credits === null || row.spend_limit_period === null
          ? null
          : { credits: Number(row.spend_limit_credits), period: row.spend_limit_period },
      spend: {
        period: row.period,
        credits: Number(row.spent),
        periodStart: row.period_start.toISOString(),
        resetsAt: row.period_end.toISOString(),
      },
    };
  }

  async usageSummary(userId: string): Promise<UsageSummary> {
    const row = await this.db.first<Record<keyof UsageSummary, string>>(
      `SELECT count(*) AS requests,
              count(*) FILTER (WHERE status = 'success') AS successes,
              count(*) FILTER (WHERE status <> 'success') AS failures,
              coalesce(sum(credits_charged), 0) AS "creditsCharged",
              coalesce(sum(prompt_tokens), 0) AS "promptTokens",
              coalesce(sum(completion_tokens), 0) AS "completionTokens"
         FROM usage_logs WHERE user_id = $1::uuid`,
      [userId],
    );
    return {
      requests: Number(row?.requests ?? 0),
      successes: Number(row?.successes ?? 0),
      failures: Number(row?.failures ?? 0),
      creditsCharged: Number(row?.creditsCharged ?? 0),
      promptTokens: Number(row?.promptTokens ?? 0),
      completionTokens: Number(row?.completionTokens ?? 0),
    };
  }

  /**
   * Through `admin_set_user_access`, which verifies the admin's access token and reads the role
   * itself (an actor id would be the caller's word), guards the last admin and audits.
   */
  async setAccess(
    change: {
      adminToken: string;
      userId: string;
      role: Role | null;
      disabled: boolean | null;
      reason: string | null;
    },
    tx: SqlExecutor = this.db,
  ): Promise<void> {
    await tx.rows(
      `SELECT * FROM admin_set_user_access(p_actor_token => $1::text, p_user_id => $2::uuid, p_role => $3::text,
                                           p_disabled => $4::boolean, p_reason => $5::text)`,
      [change.adminToken, change.userId, change.role, change.disabled, change.reason],
    );
  }

  /**
   * Sets or (null) removes the user's spend limit through `admin_set_user_spend_limit`, which verifies
   * the admin's access token itself and audits the change (db/migrations/0012).
   */
  async setSpendLimit(
    change: { adminToken: string; userId: string; spendLimit: SpendBudget | null; reason: string | null },
    tx: SqlExecutor = this.db,
  ): Promise<void> {
    await tx.rows(
      `SELECT * FROM admin_set_user_spend_limit(p_actor_token => $1::text, p_user_id => $2::uuid,
                                                p_credits => $3::bigint, p_period => $4::text, p_reason => $5::text)`,
      [
        change.adminToken,
        change.userId,
        change.spendLimit?.credits ?? null,
        change.spendLimit?.period ?? null,
        change.reason,
      ],
    );
  }

  /** An admin act that no SQL function records itself (the demo lab's chat as a user). */
  async recordAudit(entry: {
    actorId: string;
    action: string;
    targetType: 'user';
    targetId: string;
    details: Record<string, unknown>;
  }): Promise<void> {
    await this.db.rows(
      `INSERT INTO audit_log (actor_id, action, target_type, target_id, details)
       VALUES ($1::uuid, $2::text, $3::text, $4::text, $5::jsonb)`,
      [entry.actorId, entry.action, entry.targetType, entry.targetId, JSON.stringify(entry.details)],
    );
  }
}
