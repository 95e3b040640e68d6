import { get as httpGet } from 'node:http';
import request from 'supertest';
import { AdminUsersService } from '#src/admin/admin-users.service.js';
import {
  type AdminModel,
  type AdminUserDetail,
  type AdminUserItem,
  type AuditItem,
  type AuthResponse,
  ErrorCode,
  type ListResponse,
  type StatsResponse,
} from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

describe('admin API', () => {
  let testApp: TestApp;
  let admin: AuthResponse;

  beforeAll(async () => {
    // Demo mode: chats are answered locally, so stats and prices can be shown with real attempts.
    testApp = await createTestApp({ env: { AI_TIMEOUT_MS: '1000' } });
    admin = await registerAdmin(testApp.http, owner(), 'chief@example.test');
  });

  afterEach(async () => {
    await expectCreditInvariants(owner());
  });

  afterAll(async () => {
    await testApp.close();
  });

  function owner() {
    return testApp.database.pool();
  }
  const as = (session: AuthResponse) => ({
    get: (path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${session.accessToken}`),
    post: (path: string, body: object) =>
      request(testApp.http).post(path).set('Authorization', `Bearer ${session.accessToken}`).send(body),
    patch: (path: string, body: object) =>
      request(testApp.http).patch(path).set('Authorization', `Bearer ${session.accessToken}`).send(body),
    put: (path: string, body: object) =>
      request(testApp.http).put(path).set('Authorization', `Bearer ${session.accessToken}`).send(body),
  });

  describe('users', () => {
    it('searches by part of the e-mail in any case, pages without repeats, and treats % literally', async () => {
      for (let index = 0; index < 12; index += 1) await registerUser(testApp.http, `FindMe${index}@example.test`);
      await registerUser(testApp.http, 'percent%sign@example.test');

      const seen: AdminUserItem[] = [];
      let cursor: string | null = null;
      do {
        const page = (
          await as(admin)
            .get(`/api/admin/users?search=findme&limit=5${cursor ? `&cursor=${cursor}` : ''}`)
            .expect(200)
        ).body as ListResponse<AdminUserItem>;
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);

      expect(seen).toHaveLength(12);
      expect(new Set(seen.map((user) => user.id)).size).toBe(12);
      expect(seen[0]).toMatchObject({
        role: 'user',
        disabled: false,
        credits: { balance: 1000, held: 0, available: 1000 },
      });
      const percent = (await as(admin).get('/api/admin/users?search=%25').expect(200))
        .body as ListResponse<AdminUserItem>;
      expect(percent.items.map((user) => user.email)).toEqual(['percent%sign@example.test']);
    });

    it('shows a user’s balance, holds, recent ledger and usage summary', async () => {
      const user = await registerUser(testApp.http);
      await as(user).post('/api/ai/chat', { prompt: 'hello' }).expect(200);
      await as(user).post('/api/ai/chat', { prompt: 'fail', model: 'demo-error' }).expect(500);

      const detail = (await as(admin).get(`/api/admin/users/${user.user.id}`).expect(200)).body as AdminUserDetail;

      expect(detail.usage).toMatchObject({ requests: 2, successes: 1, failures: 1 });
      expect(detail.recentLedger.map((item) => item.kind)).toEqual(['charge', 'signup_grant']);
      expect(detail.credits.balance).toBe(1000 - detail.usage.creditsCharged);
      expect(detail.openHolds).toEqual([]);
      await as(admin).get('/api/admin/users/00000000-0000-4000-8000-000000000000').expect(404);
      await as(admin).get('/api/admin/users/not-a-uuid').expect(400);
    });
  });

  describe('recharge', () => {
    it('adds credits with the acting admin and the reason in the ledger; a replayed key adds once', async () => {
      const user = await registerUser(testApp.http);
      const recharge = () =>
        as(admin)
          .post('/api/admin/recharge', { userId: user.user.id, amount: 500, reason: 'Invoice 2026-11' })
          .set('Idempotency-Key', `inv-${user.user.id}`);

      const first = await recharge().expect(201);
      const again = await recharge().expect(201);

      expect(first.body).toEqual({ ledgerEntryId: expect.any(String) as string, balance: 1500, replayed: false });
      expect(again.body).toEqual({ ...(first.body as object), replayed: true });
      const { rows } = await owner().query(
        `SELECT amount, reason, actor_id FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'recharge'`,
        [user.user.id],
      );
      expect(rows).toEqual([{ amount: '500', reason: 'Invoice 2026-11', actor_id: admin.user.id }]);
    });

    it.each([
      ['amount 0', { amount: 0 }],
      ['amount -5', { amount: -5 }],
      ['amount 1.5', { amount: 1.5 }],
      ['amount 1,000,001', { amount: 1_000_001 }],
      ['amount "100"', { amount: '100' }],
      ['no reason', { reason: undefined }],
      ['a blank reason', { reason: '   ' }],
      ['a malformed user id', { userId: 'x' }],
    ])('refuses %s with 400 and changes nothing', async (_what, change) => {
      const user = await registerUser(testApp.http);
      const body = { userId: user.user.id, amount: 10, reason: 'r', ...change };

      const response = await as(admin).post('/api/admin/recharge', body).expect(400);

      expect(response.body).toMatchObject({ code: ErrorCode.ValidationFailed });
      expect(await accountOf(owner(), user.user.id)).toEqual({ balance: 1000, held: 0 });
    });

    it('answers 404 for an unknown user', async () => {
      await as(admin)
        .post('/api/admin/recharge', { userId: '00000000-0000-4000-8000-000000000000', amount: 10, reason: 'r' })
        .expect(404);
    });

    it('refuses a non-admin with 403 and changes nothing, at the route and below it', async () => {
      const user = await registerUser(testApp.http);
      const response = await as(user)
        .post('/api/admin/recharge', { userId: user.user.id, amount: 10, reason: 'me' })
        .expect(403);
      expect(response.body).toMatchObject({ code: ErrorCode.Forbidden });

      // With the route guard bypassed, the SQL function still refuses the non-admin actor.
      await expect(
        testApp.app
          .get(AdminUsersService)
          .recharge(user.user.id, { userId: user.user.id, amount: 10, reason: 'me' }, undefined),
      ).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      expect(await accountOf(owner(), user.user.id)).toEqual({ balance: 1000, held: 0 });
    });
  });

  describe('role and disabled flag', () => {
    it('promotes, demotes and disables with an audit trail, and protects the last admin', async () => {
      const user = await registerUser(testApp.http);

      await as(admin).patch(`/api/admin/users/${user.user.id}`, { role: 'admin', reason: 'on call' }).expect(200);
      await as(user).get('/api/admin/users').expect(200);
      await as(admin).patch(`/api/admin/users/${user.user.id}`, { disabled: true, reason: 'left' }).expect(200);
      await as(user).get('/api/me').expect(403);

      // chief is now the only enabled admin: neither demotion nor disabling may leave none.
      const demote = await as(admin).patch(`/api/admin/users/${admin.user.id}`, { role: 'user' }).expect(403);
      expect(demote.body).toMatchObject({
        code: ErrorCode.Forbidden,
        message: expect.stringMatching(/last/) as string,
      });
      await as(admin).patch(`/api/admin/users/${admin.user.id}`, { disabled: true }).expect(403);
      await as(admin).get('/api/admin/users').expect(200);

      const audit = (await as(admin).get(`/api/admin/audit?targetType=user&targetId=${user.user.id}`).expect(200))
        .body as ListResponse<AuditItem>;
      expect(audit.items.map((item) => [item.action, item.reason, item.actorEmail, item.details])).toEqual([
        [
          'user.access_changed',
          'left',
          'chief@example.test',
          { before: { role: 'admin', disabled: false }, after: { role: 'admin', disabled: true } },
        ],
        [
          'user.access_changed',
          'on call',
          'chief@example.test',
          { before: { role: 'user', disabled: false }, after: { role: 'admin', disabled: false } },
        ],
      ]);
      await as(admin).patch(`/api/admin/users/${user.user.id}`, {}).expect(400);
      await as(admin).patch(`/api/admin/users/${user.user.id}`, { role: 'root' }).expect(400);
    });
  });

  describe('prices', () => {
    it('applies a price change to the next chat, and audits it', async () => {
      const user = await registerUser(testApp.http);
      const before = (await as(admin).get('/api/admin/models').expect(200)).body as ListResponse<AdminModel>;
      expect(before.items.find((model) => model.model === 'demo-chat')).toMatchObject({
        requestCredits: 1,
        enabled: true,
      });

      const updated = await as(admin)
        .put('/api/admin/models/demo-chat', {
          enabled: true,
          requestCredits: 50,
          inputCreditsPer1k: 0,
          outputCreditsPer1k: 0.5,
          reason: 'premium demo',
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        model: 'demo-chat',
        requestCredits: 50,
        outputCreditsPer1k: 0.5,
        updatedBy: admin.user.id,
      });

      const chat = await as(user)
        .post('/api/ai/chat', { prompt: 'hi', model: 'demo-chat', maxTokens: 100 })
        .expect(200);
      // 50 + ceil(completion × 0.5 / 1000) = 51 for any answer under 2,000 tokens.
      expect(chat.body).toMatchObject({ creditsCharged: 51 });

      const audit = (await as(admin).get('/api/admin/audit?targetType=model&targetId=demo-chat').expect(200))
        .body as ListResponse<AuditItem>;
      expect(audit.items[0]).toMatchObject({
        action: 'model.price_changed',
        reason: 'premium demo',
        details: { before: { requestCredits: 1 }, after: { requestCredits: 50, outputCreditsPer1k: 0.5 } },
      });

      await as(admin)
        .put('/api/admin/models/demo-chat', {
          enabled: false,
          requestCredits: 50,
          inputCreditsPer1k: 0,
          outputCreditsPer1k: 0.5,
        })
        .expect(200);
      await as(user).post('/api/ai/chat', { prompt: 'hi', model: 'demo-chat' }).expect(404);
    });

    it.each([
      ['all prices zero', { enabled: true, requestCredits: 0, inputCreditsPer1k: 0, outputCreditsPer1k: 0 }],
      ['a negative rate', { enabled: true, requestCredits: 1, inputCreditsPer1k: -1, outputCreditsPer1k: 0 }],
      ['five decimals', { enabled: true, requestCredits: 1, inputCreditsPer1k: 0.00001, outputCreditsPer1k: 0 }],
      ['a missing field', { enabled: true, requestCredits: 1 }],
    ])('refuses %s with 400', async (_what, body) => {
      const response = await as(admin).put('/api/admin/models/deepseek-chat', body).expect(400);
      expect(response.body).toMatchObject({ code: ErrorCode.ValidationFailed });
    });
  });

  describe('usage, export and stats', () => {
    it('stats totals equal the sum of the usage rows, and the days add up to the totals', async () => {
      const user = await registerUser(testApp.http);
      await as(user).post('/api/ai/chat', { prompt: 'one' }).expect(200);
      await as(user).post('/api/ai/chat', { prompt: 'two', model: 'demo-empty' }).expect(500);
      await as(user).post('/api/ai/chat', { prompt: 'three', model: 'demo-error' }).expect(500);

      const stats = (await as(admin).get('/api/admin/stats').expect(200)).body as StatsResponse;

      const { rows } = await owner().query<{ requests: string; credits: string; prompt: string; completion: string }>(
        `SELECT count(*) AS requests, sum(credits_charged) AS credits, sum(prompt_tokens) AS prompt,
                sum(completion_tokens) AS completion
           FROM usage_logs WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz`,
        [stats.from, stats.to],
      );
      expect(stats.totals).toMatchObject({
        requests: Number(rows[0]?.requests),
        creditsCharged: Number(rows[0]?.credits),
        promptTokens: Number(rows[0]?.prompt),
        completionTokens: Number(rows[0]?.completion),
      });
      expect(stats.totals.failures.empty_response).toBeGreaterThanOrEqual(1);
      expect(stats.totals.failures.provider_error).toBeGreaterThanOrEqual(1);
      expect(stats.days).toHaveLength(31);
      expect(stats.days.reduce((sum, day) => sum + day.requests, 0)).toBe(stats.totals.requests);
      expect(stats.days.reduce((sum, day) => sum + day.creditsCharged, 0)).toBe(stats.totals.creditsCharged);
      expect(stats.topUsers.length).toBeGreaterThan(0);
      await as(admin).get('/api/admin/stats?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z').expect(400);
    });

    it('filters everyone’s usage by user', async () => {
      const user = await registerUser(testApp.http);
      await as(user).post('/api/ai/chat', { prompt: 'mine' }).expect(200);

      const page = (await as(admin).get(`/api/admin/usage?userId=${user.user.id}`).expect(200)).body as ListResponse<{
        userId: string;
        email: string;
      }>;
      expect(page.items).toEqual([expect.objectContaining({ userId: user.user.id, email: user.user.email })]);
    });

    it('streams a CSV export of 10,000 rows with a header row, chunked, with flat memory', async () => {
      const user = await registerUser(testApp.http);
      await owner().query(
        `INSERT INTO usage_logs (user_id, endpoint, model, status, created_at)
         SELECT $1::uuid, 'chat', 'deepseek-chat', 'timeout', now() - i * interval '1 second'
           FROM generate_series(1, 10000) AS i`,
        [user.user.id],
      );
      const baseUrl = await testApp.listen();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;

      const { headers, lines } = await new Promise<{ headers: Record<string, unknown>; lines: number }>(
        (resolve, reject) => {
          httpGet(
            `${baseUrl}/api/admin/usage/export?userId=${user.user.id}`,
            { headers: { Authorization: `Bearer ${admin.accessToken}` } },
            (response) => {
              let count = 0;
              response.on('data', (chunk: Buffer) => {
                count += chunk.toString('utf8').split('\n').length - 1;
                heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
              });
              response.on('end', () => {
                resolve({ headers: response.headers, lines: count });
              });
              response.on('error', reject);
            },
          ).on('error', reject);
        },
      );

      expect(headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(headers['transfer-encoding']).toBe('chunked');
      expect(headers['content-length']).toBeUndefined();
      expect(lines).toBe(10_001);
      // The whole CSV is ~1.5 MB and its rows as objects several times that; a streamed export
      // holds one 1,000-row batch at a time.
      expect(heapPeak - heapBefore).toBeLessThan(40 * 1024 * 1024);
    });

    it('starts the CSV with its header row', async () => {
      const response = await as(admin).get('/api/admin/usage/export?status=success').expect(200);
      expect(response.text.split('\n')[0]).toBe(
        'id,createdAt,userId,email,model,endpoint,status,errorCode,creditsCharged,promptTokens,completionTokens,' +
          'cacheHitTokens,cacheMissTokens,reasoningTokens,peak,latencyMs,channel,attempts',
      );
    });
  });
});
