import { Injectable } from '@nestjs/common';
import type { Role } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  creditLimit: number | null;
  creditsSpent: number;
  lastUsedAt: Date | null;
  createdAt: Date;
}

/** Who a presented key acts for. */
export interface ApiKeyOwner {
  apiKeyId: string;
  userId: string;
  role: Role;
  disabled: boolean;
}

interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  credit_limit: string | null;
  credits_spent: string;
  last_used_at: Date | null;
  created_at: Date;
}

const columns = 'id, name, prefix, credit_limit, credits_spent, last_used_at, created_at';

const toRecord = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  creditLimit: row.credit_limit === null ? null : Number(row.credit_limit),
  creditsSpent: Number(row.credits_spent),
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
});

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Database) {}

  async insert(key: {
    userId: string;
    name: string;
    prefix: string;
    secretHash: Buffer;
    creditLimit: number | null;
  }): Promise<ApiKeyRecord> {
    const row = await this.db.first<ApiKeyRow>(
      `INSERT INTO api_keys (user_id, name, prefix, secret_hash, credit_limit)
       VALUES ($1::uuid, $2::text, $3::text, $4::bytea, $5::bigint)
       RETURNING ${columns}`,
      [key.userId, key.name, key.prefix, key.secretHash, key.creditLimit],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toRecord(row);
  }

  /** The user's keys that still work, newest first. */
  async listActive(userId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.db.rows<ApiKeyRow>(
      `SELECT ${columns} FROM api_keys WHERE user_id = $1::uuid AND revoked_at IS NULL ORDER BY created_at DESC, id`,
      [userId],
    );
    return rows.map(toRecord);
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

  /**
   * The owner of an active key, by the key's hash. Notes the use, but at most once a minute per
   * key, so authentication does not turn every request into a write.
   */
  async findOwner(secretHash: Buffer): Promise<ApiKeyOwner | undefined> {
    const row = await this.db.first<{ api_key_id: string; user_id: string; role: Role; disabled: boolean }>(
      `WITH key AS (
         SELECT id, user_id FROM api_keys WHERE secret_hash = $1::bytea AND revoked_at IS NULL
       ), touched AS (
         UPDATE api_keys SET last_used_at = now()
          WHERE id = (SELECT id FROM key) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
       )
       SELECT key.id AS api_key_id, u.id AS user_id, u.role, u.disabled FROM key JOIN users u ON u.id = key.user_id`,
      [secretHash],
    );
    return row && { apiKeyId: row.api_key_id, userId: row.user_id, role: row.role, disabled: row.disabled };
  }
}
