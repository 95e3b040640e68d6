import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { ErrorCode } from '#src/contract/index.js';
import { DatabaseRole } from '#src/database/database-roles.js';
import { registerAdmin } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/**
 * The runtime database role may insert refresh-token rows (sign-in does). Holding that role must
 * not be a way to an admin session: a row it writes for a token of its own choosing is useless,
 * because the stored value is keyed by a secret the database never sees.
 */
describe('refresh tokens written straight into the database', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it("cannot be traded for an admin's access token, even with the admin's id and a plain SHA-256 of the token", async () => {
    const admin = await registerAdmin(testApp.http, testApp.database.pool());
    const runtime = testApp.database.pool({ role: DatabaseRole.Runtime });
    const forged = `cgr_${randomBytes(32).toString('base64url')}`;
    await runtime.query(
      `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
       VALUES ($1::uuid, gen_random_uuid(), $2::bytea, now() + interval '1 day')`,
      [admin.user.id, createHash('sha256').update(forged).digest()],
    );

    const response = await request(testApp.http).post('/api/auth/refresh').send({ refreshToken: forged });

    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: ErrorCode.Unauthenticated });
    expect(JSON.stringify(response.body)).not.toContain('accessToken');
  });

  it("the admin's own refresh token still works", async () => {
    const admin = await registerAdmin(testApp.http, testApp.database.pool());

    const response = await request(testApp.http)
      .post('/api/auth/refresh')
      .send({ refreshToken: admin.refreshToken })
      .expect(200);

    expect(response.body).toMatchObject({ accessToken: expect.any(String) as string });
  });
});
