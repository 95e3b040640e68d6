import { Injectable } from '@nestjs/common';
import type { ApiKeyLimitsChange, Role, SpendBudget, SpendPeriod } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import { SqlState, sqlStateOf } from '#src/database/sql-state.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  creditLimit: number | null;
  creditsSpent: number;
  budget: SpendBudget | null;
  models: string[] | null;
  expiresAt: Date | null;
  allowedIps: string[] | null;
  /** The current period of the budget (a calendar month without one), as spend_period_bounds gives it. */
  spend: { period: SpendPeriod; credits: number; periodStart: Date; resetsAt: Date };
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** Who a presented key acts for, and from where it may be used. */
export interface ApiKeyOwner {
  apiKeyId: string;
  userId: string;
  role: Role;
  disabled: boolean;
  allowedIps: string[] | null;
}

/** Fields a new key is stored with; its limits as `ApiKeyLimitsChange` spells them. */
export interface NewApiKey {
  userId: string;
  name: string;
  prefix: string;
  secretHash: Buffer;
  limits: ApiKeyLimitsChange;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  credit_limit: string | null;
  credits_spent: string;
  budget_credits: string | null;
  budget_period: SpendPeriod | null;
  models: string[] | null;
  expires_at: Date | null;
  allowed_ips: string[] | null;
  spend_period: SpendPeriod;
  period_spend: string;
  period_start: Date;
  period_end: Date;
  last_used_at: Date | null;
  created_at: Date;
}

/**
 * A key's columns and its period's spend, read from `k` (api_keys): the one SQL that computes what a
 * key shows, through the same functions the reservation checks with (db/migrations/0012).
 */
const keyWithSpend = (from: string): string => `
  SELECT k.id, k.name, k.prefix, k.credit_limit, k.credits_spent, k.budget_credits, k.budget_period, k.models,
         k.expires_at, k.allowed_ips, k.last_used_at, k.created_at,
         coalesce(k.budget_period, 'month') AS spend_period, p.period_start, p.period_end,
         api_key_period_spend(k.id, p.period_start, p.period_end) AS period_spend
    FROM ${from}
   CROSS JOIN LATERAL spend_period_bounds(coalesce(k.budget_period, 'month'), now()) p`;

const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  creditLimit: row.credit_limit === null ? null : Number(row.credit_limit),
  creditsSpent: Number(row.credits_spent),
  budget:
    row.budget_credits === null || row.budget_period === null
      ? null
      : { credits: Number(row.budget_credits), period: row.budget_period },
  models: row.models,
  expiresAt: row.expires_at,
  allowedIps: row.allowed_ips,
  spend: {
    period: row.spend_period,
    credits: Number(row.period_spend),
    periodStart: row.period_start,
    resetsAt: row.period_end,
  },
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
});

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Database) {}

  async insert(key: NewApiKey): Promise<ApiKeyRecord> {
    const { limits } = key;
    const row = await this.db.first<ApiKeyRow>(
      `WITH k AS (
         INSERT INTO api_keys (user_id, name, prefix, secret_hash, credit_limit, budget_credits, budget_period, models,
                               expires_at, allowed_ips)
         VALUES ($1::uuid, $2::text, $3::text, $4::bytea, $5::bigint, $6::bigint, $7::text, $8::text[],
                 $9::timestamptz, $10::text[])
         RETURNING *
       ) ${keyWithSpend('k')}`,
      [
        key.userId,
        key.name,
        key.prefix,
        key.secretHash,
        limits.creditLimit ?? null,
        limits.budget?.credits ?? null,
        limits.budget?.period ?? null,
        limits.models ?? null,
        limits.expiresAt ?? null,
        limits.allowedIps ?? null,
      ],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toRecord(row);
  }

  /**
   * The user's keys that are not revoked, newest first; expired ones too, so that their owner sees
   * why one stopped working and can extend or revoke it.
   */
  async listNotRevoked(userId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.db.rows<ApiKeyRow>(
      `${keyWithSpend('api_keys k')}
        WHERE k.user_id = $1::uuid AND k.revoked_at IS NULL
        ORDER BY k.created_at DESC, k.id`,
      [userId],
    );
    return rows.map(toRecord);
  }

  /**
   * Changes the fields `changes` names (null clears a limit) through `update_api_key`; undefined when
   * the user has no such key that is not revoked.
   */
  update(
    userId: string,
    id: string,
    changes: ApiKeyLimitsChange & { name?: string },
  ): Promise<ApiKeyRecord | undefined> {
    return this.changed(
      `SELECT * FROM update_api_key(p_user_id => $1::uuid, p_key_id => $2::uuid, p_changes => $3::jsonb)`,
      [userId, id, JSON.stringify(changes)],
    );
  }

  /**
   * An admin's change of a key's limits through `admin_update_api_key`, which verifies the admin's
   * access token itself and audits the change; undefined as `update`.
   */
  adminUpdate(change: {
    adminToken: string;
    userId: string;
    id: string;
    limits: ApiKeyLimitsChange;
    reason: string | null;
  }): Promise<ApiKeyRecord | undefined> {
    return this.changed(
      `SELECT * FROM admin_update_api_key(p_actor_token => $1::text, p_user_id => $2::uuid, p_key_id => $3::uuid,
                                          p_changes => $4::jsonb, p_reason => $5::text)`,
      [change.adminToken, change.userId, change.id, JSON.stringify(change.limits), change.reason],
    );
  }

  /** An admin's revocation through `admin_revoke_api_key` (token verified, audited); false as `revoke`. */
  async adminRevoke(revocation: {
    adminToken: string;
    userId: string;
    id: string;
    reason: string | null;
  }): Promise<boolean> {
    try {
      await this.db.rows(
        `SELECT admin_revoke_api_key(p_actor_token => $1::text, p_user_id => $2::uuid, p_key_id => $3::uuid,
                                     p_reason => $4::text)`,
        [revocation.adminToken, revocation.userId, revocation.id, revocation.reason],
      );
      return true;
    } catch (error) {
      if (sqlStateOf(error) === SqlState.NoDataFound) return false;
      throw error;
    }
  }

  /** The key a changing function (`sql`) answers, with its period's spend; undefined for no_data_found. */
  private async changed(sql: string, parameters: unknown[]): Promise<ApiKeyRecord | undefined> {
    try {
      const row = await this.db.first<ApiKeyRow>(`WITH k AS (${sql}) ${keyWithSpend('k')}`, parameters);
      return row && toRecord(row);
    } catch (error) {
      if (sqlStateOf(error) === SqlState.NoDataFound) return undefined;
      throw error;
    }
  }

  /** One key of the user's (revoked ones included), with its period's spend. */
  async find(userId: string, id: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db.first<ApiKeyRow>(
      `${keyWithSpend('api_keys k')} WHERE k.id = $1::uuid AND k.user_id = $2::uuid`,
      [id, userId],
    );
    return row && toRecord(row);
  }

  /** False when the user has no such active key (unknown, someone else's, or already revoked). */
  async revoke(userId: string, id: string): Promise<boolean> {
    const rows = await this.db.rows<{ id: string }>(
      `UPDATE api_keys SET revoked_at = now()
        WHERE id = $1::uuid AND user_id = $2::uuid AND revoked_at IS NULL
       RETURNING id`,
      [id, userId],
    );
    return rows.length > 0;
  }

  /** The ids of `models` that name no model of the price table (enabled or not). */
  async unknownModels(models: readonly string[]): Promise<string[]> {
    const rows = await this.db.rows<{ model: string }>(
      `SELECT m.model FROM unnest($1::text[]) AS m (model)
        WHERE NOT EXISTS (SELECT 1 FROM model_prices p WHERE p.model = m.model)`,
      [models],
    );
    return rows.map((row) => row.model);
  }

  /**
   * The owner of a key that works (not revoked, not expired), by the key's hash. Notes the use, but at
   * most once a minute per key, so authentication does not turn every request into a write. Every
   * request made with a key runs it, so it is prepared once per connection, like a chat's other
   * statements.
   */
  async findOwner(secretHash: Buffer): Promise<ApiKeyOwner | undefined> {
    const row = await this.db.prepared<{
      api_key_id: string;
      user_id: string;
      role: Role;
      disabled: boolean;
      allowed_ips: string[] | null;
    }>(
      'api-key-owner',
      `WITH key AS (
         SELECT id, user_id, allowed_ips FROM api_keys
          WHERE secret_hash = $1::bytea AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
       ), touched AS (
         UPDATE api_keys SET last_used_at = now()
          WHERE id = (SELECT id FROM key) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
       )
       SELECT key.id AS api_key_id, u.id AS user_id, u.role, u.disabled, key.allowed_ips
         FROM key JOIN users u ON u.id = key.user_id`,
      [secretHash],
    );
    return (
      row && {
        apiKeyId: row.api_key_id,
        userId: row.user_id,
        role: row.role,
        disabled: row.disabled,
        allowedIps: row.allowed_ips,
      }
    );
  }
}
