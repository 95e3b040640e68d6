import request from 'supertest';
import {
  type CreditsView,
  ErrorCode,
  type LedgerItem,
  type ListResponse,
  type UsageItem,
} from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import { accessTokenFor } from '#test/support/access-tokens.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { newAdmin } from '#test/support/factories.js';
import { registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

describe('own records: /api/credits, /api/credits/ledger, /api/usage', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await expectCreditInvariants(testApp.database.pool());
    await testApp.close();
  });

  const owner = () => testApp.database.pool();
  const get = (token: string, path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${token}`);

  /** Usage rows straight into the table: 250 of them, in 50 distinct timestamps (ties on purpose). */
  async function seedUsage(userId: string, count: number): Promise<void> {
    await owner().query(
      `INSERT INTO usage_logs (user_id, endpoint, model, status, created_at)
       SELECT $1::uuid, 'chat',
              CASE WHEN i % 3 = 0 THEN 'deepseek-reasoner' ELSE 'deepseek-chat' END,
              CASE WHEN i % 5 = 0 THEN 'timeout' ELSE 'provider_error' END,
              timestamptz '2026-06-01 12:00:00+00' - (i % 50) * interval '1 hour'
         FROM generate_series(1, $2::integer) AS i`,
      [userId, count],
    );
  }

  async function walk<T extends { id: string }>(token: string, path: string, limit: number): Promise<T[]> {
    const seen: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const url = `${path}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = (await get(token, url).expect(200)).body as ListResponse<T>;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return seen;
  }

  it('walks 250 usage rows page by page without gaps or repeats, newest first', async () => {
    const session = await registerUser(testApp.http);
    await seedUsage(session.user.id, 250);

    const items = await walk<UsageItem>(session.accessToken, '/api/usage', 7);

    const { rows } = await owner().query<{ id: string }>(
      'SELECT id FROM usage_logs WHERE user_id = $1::uuid ORDER BY created_at DESC, id DESC',
      [session.user.id],
    );
    expect(items.map((item) => item.id)).toEqual(rows.map((row) => row.id));
    expect(new Set(items.map((item) => item.id)).size).toBe(250);
  });

  it('walks a 250-row ledger whose amounts sum to the balance', async () => {
    const session = await registerUser(testApp.http);
    const admin = await newAdmin(owner());
    await owner().query(
      `SELECT admin_add_credits(p_actor_token => $1::text, p_user_id => $2::uuid, p_amount => i::bigint, p_reason => 'bulk')
         FROM generate_series(1, 249) AS i`,
      [accessTokenFor(admin.id), session.user.id],
    );

    const items = await walk<LedgerItem>(session.accessToken, '/api/credits/ledger', 13);
    const credits = (await get(session.accessToken, '/api/credits').expect(200)).body as CreditsView;

    expect(items).toHaveLength(250);
    expect(new Set(items.map((item) => item.id)).size).toBe(250);
    expect(items.at(-1)).toMatchObject({ kind: 'signup_grant', amount: 1000, balanceAfter: 1000 });
    expect(items[0]).toMatchObject({ kind: 'recharge', amount: 249, reason: 'bulk', balanceAfter: credits.balance });
    expect(items.reduce((sum, item) => sum + item.amount, 0)).toBe(credits.balance);
    expect(credits).toEqual({ balance: 1000 + (249 * 250) / 2, held: 0, available: 1000 + (249 * 250) / 2 });
  });

  it('filters usage by status, model and date range', async () => {
    const session = await registerUser(testApp.http);
    await seedUsage(session.user.id, 100);

    const timeouts = await walk<UsageItem>(session.accessToken, '/api/usage?status=timeout', 50);
    const reasoner = await walk<UsageItem>(session.accessToken, '/api/usage?model=deepseek-reasoner', 50);
    const window = await walk<UsageItem>(
      session.accessToken,
      '/api/usage?from=2026-06-01T08:00:00Z&to=2026-06-01T10:00:00Z',
      50,
    );

    expect(timeouts).toHaveLength(20);
    expect(timeouts.every((item) => item.status === 'timeout')).toBe(true);
    expect(reasoner).toHaveLength(33);
    expect(reasoner.every((item) => item.model === 'deepseek-reasoner')).toBe(true);
    // Hours 08:00 and 09:00 (the end is exclusive): offsets 3 and 4 → i % 50 ∈ {3, 4}, 2 rows each.
    expect(window).toHaveLength(4);
    expect(
      window.every((item) => item.createdAt >= '2026-06-01T08:00:00' && item.createdAt < '2026-06-01T10:00:00'),
    ).toBe(true);
  });

  it.each([
    ['/api/usage?limit=0'],
    ['/api/usage?limit=101'],
    ['/api/usage?limit=ten'],
    ['/api/usage?cursor=not-a-cursor'],
    ['/api/usage?status=great'],
    ['/api/usage?from=yesterday'],
    ['/api/usage?unknown=1'],
    ['/api/credits/ledger?cursor=eyJpZCI6ImFiYyJ9'],
  ])('answers %s with 400 VALIDATION_FAILED', async (path) => {
    const session = await registerUser(testApp.http);
    const response = await get(session.accessToken, path).expect(400);
    expect(response.body).toMatchObject({ code: ErrorCode.ValidationFailed });
  });

  it('never shows one user another user’s ledger or usage, even through an unscoped query under RLS', async () => {
    const alice = await registerUser(testApp.http);
    const bob = await registerUser(testApp.http);
    await seedUsage(alice.user.id, 5);
    await seedUsage(bob.user.id, 3);

    const aliceUsage = await walk<UsageItem>(alice.accessToken, '/api/usage', 100);
    const bobLedger = await walk<LedgerItem>(bob.accessToken, '/api/credits/ledger', 100);
    expect(aliceUsage).toHaveLength(5);
    expect(bobLedger).toHaveLength(1);

    // The database itself refuses to show more, whatever the query forgets to say.
    const database = testApp.app.get(Database);
    const unscoped = await database.asUser(alice.user.id, (tx) =>
      tx.rows<{ user_id: string }>('SELECT user_id FROM usage_logs UNION ALL SELECT user_id FROM credit_ledger'),
    );
    expect(unscoped.length).toBe(5 + 1);
    expect(unscoped.every((row) => row.user_id === alice.user.id)).toBe(true);
  });

  it('lets an API key read /api/credits and /api/usage, but not the ledger', async () => {
    const session = await registerUser(testApp.http);
    const created = await request(testApp.http)
      .post('/api/keys')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ name: 'reader' })
      .expect(201);
    const key = (created.body as { key: string }).key;

    await get(key, '/api/credits').expect(200);
    await get(key, '/api/usage').expect(200);
    await get(key, '/api/credits/ledger').expect(401);
  });
});
