import request from 'supertest';
import {
  type AuthResponse,
  type ChatResponse,
  type CreatedApiKey,
  type ErrorBody,
  ErrorCode,
  FAILURE_KINDS,
  type UsageStatsResponse,
} from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/**
 * A user's own figures (`GET /api/usage/stats`, the console's overview chart) and their own usage as
 * CSV (`GET /api/usage/export`): only their rows, whoever else used the gateway.
 */
describe('own usage: /api/usage/stats and /api/usage/export', () => {
  let testApp: TestApp;
  let owner: AuthResponse;
  let stranger: AuthResponse;
  /** Credits the owner's two chats were charged. */
  let ownerCharged = 0;

  const get = (token: string, path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${token}`);

  async function chat(session: AuthResponse): Promise<number> {
    const response = await request(testApp.http)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ prompt: 'hello', maxTokens: 8 })
      .expect(200);
    return (response.body as ChatResponse).creditsCharged;
  }

  /** Failed attempts (never charged) on a past day, straight into the table. */
  async function seedTimeouts(userId: string, at: string, count: number): Promise<void> {
    await testApp.database.pool().query(
      `INSERT INTO usage_logs (user_id, endpoint, model, status, created_at)
         SELECT $1::uuid, 'chat', 'demo-chat', 'timeout', $2::timestamptz + i * interval '1 minute'
           FROM generate_series(1, $3::integer) AS i`,
      [userId, at, count],
    );
  }

  beforeAll(async () => {
    testApp = await createTestApp();
    owner = await registerUser(testApp.http);
    stranger = await registerUser(testApp.http);
    ownerCharged = (await chat(owner)) + (await chat(owner));
    await chat(stranger);
    await seedTimeouts(owner.user.id, '2026-06-01T10:00:00Z', 3);
    await seedTimeouts(stranger.user.id, '2026-06-01T10:00:00Z', 5);
  });

  afterAll(async () => {
    await expectCreditInvariants(testApp.database.pool());
    await testApp.close();
  });

  it('sums the caller’s own attempts per UTC day, empty days included, and none of anyone else’s', async () => {
    const stats = (await get(owner.accessToken, '/api/usage/stats?from=2026-05-31&to=2026-06-03').expect(200))
      .body as UsageStatsResponse;

    expect(stats.from).toBe('2026-05-31T00:00:00.000Z');
    expect(stats.to).toBe('2026-06-03T00:00:00.000Z');
    expect(stats.days.map((day) => [day.day, day.requests, day.failures.timeout])).toEqual([
      ['2026-05-31', 0, 0],
      ['2026-06-01', 3, 3],
      ['2026-06-02', 0, 0],
    ]);
    expect(stats.totals).toMatchObject({ requests: 3, successes: 0, creditsCharged: 0 });
    expect(stats).not.toHaveProperty('topUsers');
  });

  it('defaults to the last 30 days: today’s charged chats', async () => {
    const stats = (await get(owner.accessToken, '/api/usage/stats').expect(200)).body as UsageStatsResponse;

    expect(ownerCharged).toBeGreaterThan(0);
    expect(stats.totals.requests).toBe(2);
    expect(stats.totals.successes).toBe(2);
    expect(stats.totals.creditsCharged).toBe(ownerCharged);
    expect(FAILURE_KINDS.every((kind) => stats.totals.failures[kind] === 0)).toBe(true);
    expect(stats.days.reduce((sum, day) => sum + day.creditsCharged, 0)).toBe(ownerCharged);
  });

  it.each([
    ['/api/usage/stats?from=2026-06-02&to=2026-06-01'],
    ['/api/usage/stats?from=2025-01-01&to=2026-06-01'],
    ['/api/usage/stats?from=yesterday'],
  ])('refuses %s with 400', async (path) => {
    const response = await get(owner.accessToken, path).expect(400);
    expect((response.body as ErrorBody).code).toBe(ErrorCode.ValidationFailed);
  });

  it('exports exactly the caller’s rows as CSV, without anyone’s e-mail', async () => {
    const response = await get(owner.accessToken, '/api/usage/export').expect(200);
    const [header, ...rows] = response.text.trim().split('\n');

    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="usage-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(header).toBe(
      'id,createdAt,model,endpoint,status,errorCode,creditsCharged,promptTokens,completionTokens,' +
        'cacheHitTokens,cacheMissTokens,reasoningTokens,peak,latencyMs,channel,attempts',
    );
    const { rows: expected } = await testApp.database
      .pool()
      .query<{ id: string }>('SELECT id FROM usage_logs WHERE user_id = $1::uuid ORDER BY created_at DESC, id DESC', [
        owner.user.id,
      ]);
    expect(rows.map((row) => row.split(',')[0])).toEqual(expected.map((row) => row.id));
    expect(response.text).not.toContain(stranger.user.email);
    expect(response.text).not.toContain(owner.user.email);
  });

  it('exports only the rows the filters select, also with an API key', async () => {
    const key = (
      await request(testApp.http)
        .post('/api/keys')
        .set('Authorization', `Bearer ${owner.accessToken}`)
        .send({ name: 'reports' })
        .expect(201)
    ).body as CreatedApiKey;

    const response = await get(key.key, '/api/usage/export?status=timeout&from=2026-06-01&to=2026-06-02').expect(200);
    const rows = response.text.trim().split('\n').slice(1);

    expect(rows).toHaveLength(3);
    expect(rows.every((row) => row.split(',')[4] === 'timeout')).toBe(true);
  });

  it('needs a sign-in', async () => {
    await request(testApp.http).get('/api/usage/stats').expect(401);
    await request(testApp.http).get('/api/usage/export').expect(401);
  });
});
