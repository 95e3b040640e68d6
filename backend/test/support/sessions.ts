import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import type { AuthResponse } from '#src/contract/index.js';

export const TEST_PASSWORD = 'correct horse battery';

/** Registers a new user through the API and answers its session (1000 credits, user role). */
export async function registerUser(http: App, email?: string): Promise<AuthResponse> {
  const response = await request(http)
    .post('/api/auth/register')
    .send({ email: email ?? `user-${randomBytes(5).toString('hex')}@example.test`, password: TEST_PASSWORD })
    .expect(201);
  return response.body as AuthResponse;
}

/**
 * Registers a user through the API and makes it an admin (through the owner pool: no API grants the
 * first admin role). The session's token stays valid: the role is read per request.
 */
export async function registerAdmin(http: App, ownerPool: Pool, email?: string): Promise<AuthResponse> {
  const session = await registerUser(http, email);
  await ownerPool.query(`UPDATE users SET role = 'admin' WHERE id = $1::uuid`, [session.user.id]);
  return { ...session, user: { ...session.user, role: 'admin' } };
}
