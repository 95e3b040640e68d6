import { Injectable } from '@nestjs/common';
import { DatabaseBootstrap } from '#src/database/database-bootstrap.service.js';
import { Database } from '#src/database/database.service.js';

export interface AdminAccount {
  id: string;
  /** True when this call created the user; false when the e-mail already had an account. */
  created: boolean;
  passwordHash: string;
}

/**
 * The boot-time writes that make a user an admin. The runtime role cannot change a role, so these
 * run as the database owner; the read runs as the runtime role like everything else.
 */
@Injectable()
export class AdminBootstrapRepository {
  constructor(
    private readonly db: Database,
    private readonly owner: DatabaseBootstrap,
  ) {}

  async activeAdminExists(): Promise<boolean> {
    const row = await this.db.first<{ exists: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND NOT disabled) AS exists`,
    );
    return row?.exists === true;
  }

  /** Creates the admin, or finds the account the e-mail already has (left unchanged here). */
  async createOrFind(email: string, passwordHash: string): Promise<AdminAccount> {
    const [row] = await this.owner.ownerRows<{ id: string; created: boolean; password_hash: string }>(
      `WITH inserted AS (
         INSERT INTO users (email, password_hash, role) VALUES ($1::text, $2::text, 'admin')
         ON CONFLICT ((lower(email))) DO NOTHING
         RETURNING id, password_hash
       )
       SELECT id, true AS created, password_hash FROM inserted
       UNION ALL
       SELECT id, false, password_hash FROM users WHERE lower(email) = lower($1::text) AND NOT EXISTS (SELECT 1 FROM inserted)`,
      [email, passwordHash],
    );
    if (!row) throw new Error(`The admin ${email} was neither created nor found`);
    return { id: row.id, created: row.created, passwordHash: row.password_hash };
  }

  /** Makes an existing account an enabled admin, replacing its password hash when one is given. */
  async promote(id: string, newPasswordHash: string | undefined): Promise<void> {
    await this.owner.ownerRows(
      `UPDATE users SET role = 'admin', disabled = false, password_hash = coalesce($2::text, password_hash), updated_at = now()
        WHERE id = $1::uuid`,
      [id, newPasswordHash ?? null],
    );
  }
}
