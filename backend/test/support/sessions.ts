import { randomBytes } from 'node:crypto';
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
