import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Role } from '#src/contract/index.js';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
}

/**
 * Inserts a user straight into the database (through the given pool's role), as registration will.
 * The signup trigger gives it its credits. `password_hash` is a placeholder: these users never log in.
 */
export async function newUser(pool: Pool, options: { role?: Role; email?: string } = {}): Promise<TestUser> {
  const email = options.email ?? `user-${randomBytes(5).toString('hex')}@example.test`;
  const role = options.role ?? 'user';
  // Registration names no role (the runtime role may not), so the column's default applies.
  const { rows } = await pool.query<{ id: string }>(
    options.role === undefined
      ? `INSERT INTO users (email, password_hash) VALUES ($1::text, 'not-a-hash') RETURNING id`
      : `INSERT INTO users (email, password_hash, role) VALUES ($1::text, 'not-a-hash', $2::text) RETURNING id`,
    options.role === undefined ? [email] : [email, role],
  );
  return { id: rows[0]!.id, email, role };
}

/** An admin; inserted through the owner pool, since the runtime role cannot grant the admin role. */
export function newAdmin(ownerPool: Pool): Promise<TestUser> {
  return newUser(ownerPool, { role: 'admin' });
}

export async function accountOf(pool: Pool, userId: string): Promise<{ balance: number; held: number }> {
  const { rows } = await pool.query<{ balance: string; held: string }>(
    'SELECT balance, held FROM credit_accounts WHERE user_id = $1::uuid',
    [userId],
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`no credit account for ${userId}`);
  return { balance: Number(row.balance), held: Number(row.held) };
}
