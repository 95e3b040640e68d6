import request from 'supertest';
import {
  type ApiKeyView,
  type AuthResponse,
  type CreatedApiKey,
  ErrorCode,
  type ListResponse,
} from '#src/contract/index.js';
import { ProbeModule } from '#test/support/probe.module.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

describe('API keys', () => {
  let testApp: TestApp;
  let counter = 0;

  beforeAll(async () => {
    testApp = await createTestApp({ extraModules: [ProbeModule] });
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function newSession(): Promise<AuthResponse> {
    const response = await request(testApp.http)
      .post('/api/auth/register')
      .send({ email: `keys${++counter}@example.test`, password: 'correct horse battery' })
      .expect(201);
    return response.body as AuthResponse;
  }

  async function createKey(session: AuthResponse, body: object = { name: 'ci' }): Promise<CreatedApiKey> {
    const response = await request(testApp.http)
      .post('/api/keys')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send(body)
      .expect(201);
    return response.body as CreatedApiKey;
  }

  const withKey = (path: string, key: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${key}`);

  it('creates a key: 201 with the secret shown once, a recognisable prefix, and only a hash stored', async () => {
    const session = await newSession();
    const created = await createKey(session, { name: '  build server ', creditLimit: 500 });

    expect(created).toEqual({
      id: expect.any(String) as string,
      name: 'build server',
      prefix: created.key.slice(0, 16),
      key: expect.stringMatching(/^cg_live_[A-Za-z0-9_-]{43}$/) as string,
      creditLimit: 500,
      creditsSpent: 0,
      budget: null,
      models: null,
      expiresAt: null,
      allowedIps: null,
      spend: {
        period: 'month',
        credits: 0,
        periodStart: expect.any(String) as string,
        resetsAt: expect.any(String) as string,
      },
      lastUsedAt: null,
      createdAt: expect.any(String) as string,
    });
    const { rows } = await testApp.database
      .pool()
      .query<{ prefix: string; secret_hash: Buffer }>('SELECT prefix, secret_hash FROM api_keys WHERE id = $1::uuid', [
        created.id,
      ]);
    expect(rows[0]?.prefix).toBe(created.prefix);
    expect(rows[0]?.secret_hash.toString('hex')).not.toContain(Buffer.from(created.key).toString('hex'));
  });

  it('lists the user’s keys without their secrets', async () => {
    const session = await newSession();
    const first = await createKey(session, { name: 'one' });
    const second = await createKey(session, { name: 'two' });
    await createKey(await newSession(), { name: 'someone else' });

    const response = await request(testApp.http)
      .get('/api/keys')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(200);
    const body = response.body as ListResponse<ApiKeyView>;

    expect(body.nextCursor).toBeNull();
    expect(body.items.map((item) => item.id).sort()).toEqual([first.id, second.id].sort());
    expect(JSON.stringify(body)).not.toContain(first.key);
    expect(body.items.every((item) => !('key' in item))).toBe(true);
  });

  it.each([
    ['no name', {}],
    ['a blank name', { name: '   ' }],
    ['a 101-character name', { name: 'n'.repeat(101) }],
    ['a zero credit limit', { name: 'x', creditLimit: 0 }],
    ['a fractional credit limit', { name: 'x', creditLimit: 1.5 }],
    ['a string credit limit', { name: 'x', creditLimit: '100' }],
    ['an unknown field', { name: 'x', userId: '00000000-0000-0000-0000-000000000000' }],
  ])('refuses %s with 400', async (_what, body) => {
    const session = await newSession();
    const response = await request(testApp.http)
      .post('/api/keys')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send(body)
      .expect(400);
    expect(response.body).toMatchObject({ code: ErrorCode.ValidationFailed });
  });

  it('authenticates as its user on a route that accepts keys, and records when it was used', async () => {
    const session = await newSession();
    const created = await createKey(session);

    const response = await withKey('/api/probe/key-allowed', created.key).expect(200);

    expect(response.body).toEqual({ id: session.user.id, role: 'user', apiKeyId: created.id });
    const listed = (
      await request(testApp.http).get('/api/keys').set('Authorization', `Bearer ${session.accessToken}`).expect(200)
    ).body as ListResponse<ApiKeyView>;
    expect(listed.items[0]?.lastUsedAt).not.toBeNull();
  });

  it('is recognised whatever the letter case of the Bearer scheme', async () => {
    const created = await createKey(await newSession());

    await request(testApp.http).get('/api/probe/key-allowed').set('Authorization', `bearer ${created.key}`).expect(200);
  });

  it.each([
    ['GET', '/api/keys'],
    ['POST', '/api/keys'],
    ['GET', '/api/me'],
  ])('is refused with 401 on %s %s, which only a login may use', async (method, path) => {
    const created = await createKey(await newSession());
    const call =
      method === 'GET' ? request(testApp.http).get(path) : request(testApp.http).post(path).send({ name: 'x' });

    const response = await call.set('Authorization', `Bearer ${created.key}`).expect(401);

    expect(response.body).toMatchObject({ code: ErrorCode.Unauthenticated });
  });

  it('cannot reach an admin route even when its owner is an admin, whose login can', async () => {
    const session = await newSession();
    const created = await createKey(session);
    await testApp.database.pool().query(`UPDATE users SET role = 'admin' WHERE id = $1::uuid`, [session.user.id]);

    const refused = await withKey('/api/admin/probe', created.key).expect(401);
    expect(refused.body).toMatchObject({ code: ErrorCode.Unauthenticated });
    await request(testApp.http)
      .get('/api/admin/probe')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(200);
  });

  it('fails at once after revocation, and cannot be revoked by another user', async () => {
    const session = await newSession();
    const created = await createKey(session);
    const stranger = await newSession();
    await withKey('/api/probe/key-allowed', created.key).expect(200);

    await request(testApp.http)
      .delete(`/api/keys/${created.id}`)
      .set('Authorization', `Bearer ${stranger.accessToken}`)
      .expect(404);
    await withKey('/api/probe/key-allowed', created.key).expect(200);

    await request(testApp.http)
      .delete(`/api/keys/${created.id}`)
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(204);

    const refused = await withKey('/api/probe/key-allowed', created.key).expect(401);
    expect(refused.body).toMatchObject({ code: ErrorCode.Unauthenticated });
    await request(testApp.http)
      .delete(`/api/keys/${created.id}`)
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(404);
    const listed = (
      await request(testApp.http).get('/api/keys').set('Authorization', `Bearer ${session.accessToken}`).expect(200)
    ).body as ListResponse<ApiKeyView>;
    expect(listed.items).toEqual([]);
  });

  it('answers 400 for a malformed key id and 401 for an unknown key', async () => {
    const session = await newSession();
    await request(testApp.http)
      .delete('/api/keys/not-a-uuid')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(400);
    await withKey('/api/probe/key-allowed', 'cg_live_thisKeyWasNeverIssuedToAnyoneAtAll000000').expect(401);
  });

  it('stops working when its owner is disabled: 403 ACCOUNT_DISABLED', async () => {
    const session = await newSession();
    const created = await createKey(session);
    await testApp.database.pool().query('UPDATE users SET disabled = true WHERE id = $1::uuid', [session.user.id]);

    const response = await withKey('/api/probe/key-allowed', created.key).expect(403);
    expect(response.body).toMatchObject({ code: ErrorCode.AccountDisabled });
  });

  it('never writes a key into the logs', async () => {
    const created = await createKey(await newSession());
    await withKey('/api/probe/key-allowed', created.key).expect(200);

    expect(testApp.logLines().join('\n')).not.toContain(created.key);
  });
});
