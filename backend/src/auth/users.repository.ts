import { Injectable } from '@nestjs/common';
import { Database } from '#src/database/database.service.js';
import type { Role } from '#src/contract/index.js';

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

export interface UserWithCredits {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  /** balance − held: what the user can spend now. */
  availableCredits: number;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
  created_at: Date;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: row.id,
  email: row.email,
  passwordHash: row.password_hash,
  role: row.role,
  disabled: row.disabled,
  createdAt: row.created_at,
});

@Injectable()
export class UsersRepository {
  constructor(private readonly db: Database) {}

  /** Inserts the user; the signup trigger opens its credit account. Raises 23505 if the e-mail is taken. */
  async create(email: string, passwordHash: string): Promise<UserRecord> {
    const rows = await this.db.rows<UserRow>(
      `INSERT INTO users (email, password_hash) VALUES ($1::text, $2::text)
       RETURNING id, email, password_hash, role, disabled, created_at`,
      [email, passwordHash],
    );
    const [row] = rows;
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toRecord(row);
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const rows = await this.db.rows<UserRow>(
      `SELECT id, email, password_hash, role, disabled, created_at FROM users WHERE lower(email) = lower($1::text)`,
      [email],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async findWithCredits(id: string): Promise<UserWithCredits | undefined> {
    const rows = await this.db.rows<Omit<UserRow, 'password_hash'> & { available: string }>(
      `SELECT u.id, u.email, u.role, u.disabled, u.created_at, a.balance - a.held AS available
         FROM users u JOIN credit_accounts a ON a.user_id = u.id
        WHERE u.id = $1::uuid`,
      [id],
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        email: row.email,
        role: row.role,
        disabled: row.disabled,
        createdAt: row.created_at,
        availableCredits: Number(row.available),
      }
    );
  }

  /** What every authenticated request needs to know about its user. */
  async findAccess(id: string): Promise<Pick<UserRecord, 'id' | 'role' | 'disabled'> | undefined> {
    return this.db.prepared<Pick<UserRow, 'id' | 'role' | 'disabled'>>(
      'user-access',
      'SELECT id, role, disabled FROM users WHERE id = $1::uuid',
      [id],
    );
  }
}
