import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  type AdminUserDetail,
  type ApiKeyView,
  type AuditItem,
  type AuthResponse,
  type CreatedApiKey,
  type ErrorBody,
  ErrorCode,
  type ListResponse,
} from '#src/contract/index.js';
import { DatabaseRole } from '#src/database/database-roles.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { insertTestModel } from '#test/support/test-prices.js';

/**
 * Spend controls (docs/limits.md) through the API, against a fake DeepSeek and a real PostgreSQL: key
 * budgets and user spend limits that hold under 40 parallel chats, the period's spend given back by a
 * release or an expiry and reset by a new period, model lists with aliases, expiry, and allowedIps
 * with and without a trusted proxy.
 *
 * `flat-10` costs 10 credits a chat, held and charged alike (no token rates), so a budget of 100 is
 * exactly ten chats.
 */
const MODEL = 'flat-10';
const PER_CHAT = 10;

interface UsageRow {
  status: string;
  error_code: string | null;
  credits_charged: string;
  api_key_id: string | null;
  model: string;
}

describe('spend controls', () => {
  describe('budgets, spend limits, model lists and expiry', () => {
    let fake: FakeDeepSeek;
    let testApp: TestApp;
    let admin: AuthResponse;

    beforeAll(async () => {
      fake = await FakeDeepSeek.start();
      testApp = await createTestApp({
        env: { DEEPSEEK_API_KEY: 'sk-fake', DEEPSEEK_BASE_URL: fake.url, AI_TIMEOUT_MS: '5000' },
      });
      await insertTestModel(owner(), { id: MODEL, requestCredits: PER_CHAT });
      admin = await registerAdmin(testApp.http, owner());
    });

    afterEach(async () => {
      fake.reset();
      await expectCreditInvariants(owner());
    });

    afterAll(async () => {
      await testApp.close();
      await fake.stop();
    });

    function owner() {
      return testApp.database.pool();
    }
    const as = (token: string) => ({
      get: (path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${token}`),
      post: (path: string, body: object) =>
        request(testApp.http).post(path).set('Authorization', `Bearer ${token}`).send(body),
      patch: (path: string, body: object) =>
        request(testApp.http).patch(path).set('Authorization', `Bearer ${token}`).send(body),
      delete: (path: string) => request(testApp.http).delete(path).set('Authorization', `Bearer ${token}`),
    });
    const chat = (token: string, body: object = {}) =>
      as(token).post('/api/ai/chat', { prompt: 'hi', model: MODEL, maxTokens: 10, ...body });

    async function createKey(session: AuthResponse, body: object): Promise<CreatedApiKey> {
      return (
        await as(session.accessToken)
          .post('/api/keys', { name: 'app', ...body })
          .expect(201)
      ).body as CreatedApiKey;
    }
    async function keysOf(session: AuthResponse): Promise<ApiKeyView[]> {
      return ((await as(session.accessToken).get('/api/keys').expect(200)).body as ListResponse<ApiKeyView>).items;
    }
    async function usageOf(userId: string): Promise<UsageRow[]> {
      const { rows } = await owner().query<UsageRow>(
        `SELECT status, error_code, credits_charged, api_key_id, model FROM usage_logs WHERE user_id = $1::uuid
          ORDER BY created_at`,
        [userId],
      );
      return rows;
    }
    const charged = (rows: UsageRow[]) => rows.reduce((sum, row) => sum + Number(row.credits_charged), 0);

    /** 40 chats at once, each with one of `tokens` in turn; the statuses and error codes, in order. */
    async function parallelChats(tokens: string[]): Promise<{ status: number; code?: string }[]> {
      fake.behave({ kind: 'answer', content: 'ok', delayMs: 30 });
      const responses = await Promise.all(
        Array.from({ length: 40 }, (_unused, index) => chat(tokens[index % tokens.length]!)),
      );
      return responses.map((response) => ({
        status: response.status,
        ...(response.status === 200 ? {} : { code: (response.body as ErrorBody).code }),
      }));
    }

    describe('a key’s budget', () => {
      it('holds under 40 parallel chats: exactly the ten it covers are charged, the rest are 403 BUDGET_EXCEEDED', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { budget: { credits: 100, period: 'day' } });

        const outcomes = await parallelChats([key.key]);

        expect(outcomes.filter((outcome) => outcome.status === 200)).toHaveLength(10);
        expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual(
          Array.from({ length: 30 }, () => ({ status: 403, code: ErrorCode.BudgetExceeded })),
        );
        expect(fake.requests).toHaveLength(10);
        const usage = await usageOf(session.user.id);
        expect(charged(usage)).toBe(100);
        expect(usage.filter((row) => row.status === 'success')).toHaveLength(10);
        expect(usage.filter((row) => row.status === 'budget_exceeded')).toHaveLength(30);
        expect(usage.every((row) => row.api_key_id === key.id)).toBe(true);
        const [listed] = await keysOf(session);
        expect(listed?.spend).toMatchObject({ period: 'day', credits: 100 });
      });

      it('says which budget, what the period spent and when it resets', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { budget: { credits: 15, period: 'week' } });
        await chat(key.key).expect(200);

        const refused = await chat(key.key).expect(403);

        const [listed] = await keysOf(session);
        expect(refused.body).toMatchObject({
          code: ErrorCode.BudgetExceeded,
          details: {
            limit: 'api_key',
            budget: { credits: 15, period: 'week' },
            spent: 10,
            required: 10,
            resetsAt: listed?.spend.resetsAt,
          },
        });
        // ISO weeks: the budget resets on a Monday at 00:00 UTC.
        const resetsAt = new Date(listed!.spend.resetsAt);
        expect([resetsAt.getUTCDay(), resetsAt.getUTCHours(), resetsAt.getUTCMinutes()]).toEqual([1, 0, 0]);
        expect(fake.requests).toHaveLength(1);
      });

      it('gets back what a failed chat held: a failing upstream does not eat the budget', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { budget: { credits: 20, period: 'month' } });
        fake.behave({ kind: 'status', status: 500 });
        await chat(key.key).expect(500);
        await chat(key.key).expect(500);
        await chat(key.key).expect(500);
        expect((await keysOf(session))[0]?.spend.credits).toBe(0);

        fake.behave({ kind: 'answer', content: 'ok' });
        await chat(key.key).expect(200);
        await chat(key.key).expect(200);
        const refused = await chat(key.key).expect(403);

        expect(refused.body).toMatchObject({ code: ErrorCode.BudgetExceeded, details: { spent: 20 } });
      });

      it('gets back what an expired hold held (a crashed chat), once the sweeper releases it', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { budget: { credits: 10, period: 'day' } });
        // A chat whose process died after reserving: its hold stays open until it expires.
        const runtime = testApp.database.pool({ role: DatabaseRole.Runtime });
        const { rows } = await runtime.query<{ hold_id: string }>(
          `SELECT hold_id FROM reserve_credits_checked($1::uuid, 10, 60000, $2::uuid, $3::text)`,
          [session.user.id, key.id, MODEL],
        );
        expect(rows[0]?.hold_id).toEqual(expect.any(String));
        expect((await keysOf(session))[0]?.spend.credits).toBe(10);
        await chat(key.key).expect(403);

        await owner().query(`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [
          rows[0]?.hold_id,
        ]);
        await owner().query('SELECT expire_holds(1000)');

        expect((await keysOf(session))[0]?.spend.credits).toBe(0);
        await chat(key.key).expect(200);
      });

      it('starts afresh in the next period: what was spent before the period began does not count', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { budget: { credits: 10, period: 'day' } });
        await chat(key.key).expect(200);
        await chat(key.key).expect(403);

        // Yesterday's chat, as the period function sees it.
        await owner().query(
          `UPDATE credit_holds SET created_at = created_at - interval '1 day' WHERE api_key_id = $1::uuid`,
          [key.id],
        );

        expect((await keysOf(session))[0]?.spend.credits).toBe(0);
        await chat(key.key).expect(200);
        await chat(key.key).expect(403);
      });

      it('is changed and removed with PATCH; the key’s name and other limits stay', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, {
          name: 'ci',
          budget: { credits: 10, period: 'day' },
          models: [MODEL],
          allowedIps: ['127.0.0.0/8', '::1', '::ffff:127.0.0.1'],
        });
        await chat(key.key).expect(200);
        await chat(key.key).expect(403);

        const raised = (
          await as(session.accessToken)
            .patch(`/api/keys/${key.id}`, { budget: { credits: 20, period: 'month' } })
            .expect(200)
        ).body as ApiKeyView;
        expect(raised).toMatchObject({
          name: 'ci',
          budget: { credits: 20, period: 'month' },
          models: [MODEL],
          spend: { period: 'month', credits: 10 },
        });
        await chat(key.key).expect(200);
        await chat(key.key).expect(403);

        const removed = (await as(session.accessToken).patch(`/api/keys/${key.id}`, { budget: null }).expect(200))
          .body as ApiKeyView;
        expect(removed).toMatchObject({ budget: null, models: [MODEL], spend: { period: 'month', credits: 20 } });
        await chat(key.key).expect(200);
      });
    });

    describe('a user’s spend limit', () => {
      it('holds across two keys and a login under 40 parallel chats', async () => {
        const session = await registerUser(testApp.http);
        const first = await createKey(session, {});
        const second = await createKey(session, { budget: { credits: 1000, period: 'day' } });
        await as(admin.accessToken)
          .patch(`/api/admin/users/${session.user.id}`, { spendLimit: { credits: 100, period: 'month' } })
          .expect(200);

        const outcomes = await parallelChats([first.key, second.key, session.accessToken]);

        expect(outcomes.filter((outcome) => outcome.status === 200)).toHaveLength(10);
        expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual(
          Array.from({ length: 30 }, () => ({ status: 403, code: ErrorCode.BudgetExceeded })),
        );
        expect(fake.requests).toHaveLength(10);
        const usage = await usageOf(session.user.id);
        expect(charged(usage)).toBe(100);
        expect(usage.filter((row) => row.status === 'budget_exceeded')).toHaveLength(30);
        const detail = (await as(admin.accessToken).get(`/api/admin/users/${session.user.id}`).expect(200))
          .body as AdminUserDetail;
        expect(detail).toMatchObject({
          spendLimit: { credits: 100, period: 'month' },
          spend: { period: 'month', credits: 100 },
        });
        expect(
          detail.apiKeys.map((key) => key.spend.credits).reduce((sum, credits) => sum + credits, 0),
        ).toBeLessThanOrEqual(100);
      });

      it('refuses with the user’s limit named, and is removed with null', async () => {
        const session = await registerUser(testApp.http);
        await as(admin.accessToken)
          .patch(`/api/admin/users/${session.user.id}`, { spendLimit: { credits: 5, period: 'day' }, reason: 'trial' })
          .expect(200);

        const refused = await chat(session.accessToken).expect(403);
        expect(refused.body).toMatchObject({
          code: ErrorCode.BudgetExceeded,
          details: { limit: 'user', budget: { credits: 5, period: 'day' }, spent: 0, required: 10 },
        });
        expect(fake.requests).toHaveLength(0);

        await as(admin.accessToken).patch(`/api/admin/users/${session.user.id}`, { spendLimit: null }).expect(200);
        await chat(session.accessToken).expect(200);
        const audit = (
          await as(admin.accessToken).get(`/api/admin/audit?targetType=user&targetId=${session.user.id}`).expect(200)
        ).body as ListResponse<AuditItem>;
        expect(audit.items.map((item) => [item.action, item.reason, item.details])).toEqual([
          ['user.spend_limit_changed', null, { before: { credits: 5, period: 'day' }, after: null }],
          ['user.spend_limit_changed', 'trial', { before: null, after: { credits: 5, period: 'day' } }],
        ]);
      });

      it('is an admin’s to set: 403 for anyone else, and 400 for a limit that is not one', async () => {
        const session = await registerUser(testApp.http);
        await as(session.accessToken)
          .patch(`/api/admin/users/${session.user.id}`, { spendLimit: { credits: 5, period: 'day' } })
          .expect(403);
        for (const spendLimit of [{ credits: 0, period: 'day' }, { credits: 5, period: 'year' }, { credits: 5 }, 5]) {
          const refused = await as(admin.accessToken)
            .patch(`/api/admin/users/${session.user.id}`, { spendLimit })
            .expect(400);
          expect(refused.body).toMatchObject({ code: ErrorCode.ValidationFailed });
        }
        // The SQL function checks the caller itself: a user's own token cannot set a limit.
        await expect(
          testApp.database
            .pool({ role: DatabaseRole.Runtime })
            .query(`SELECT * FROM admin_set_user_spend_limit($1::text, $2::uuid, 5, 'day', NULL)`, [
              session.accessToken,
              session.user.id,
            ]),
        ).rejects.toMatchObject({ code: '42501' });
      });
    });

    describe('a key’s model list', () => {
      it('admits the ids it names and the aliases that call them, and refuses the rest with 403 MODEL_NOT_ALLOWED', async () => {
        const session = await registerUser(testApp.http);
        const flash = await createKey(session, { models: ['deepseek-flash'] });
        const aliasOnly = await createKey(session, { models: ['deepseek-chat'] });
        fake.behave({ kind: 'answer', content: 'ok' });

        await chat(flash.key, { model: 'deepseek-flash' }).expect(200);
        // deepseek-chat and deepseek-reasoner are flash under the retired names.
        await chat(flash.key, { model: 'deepseek-chat' }).expect(200);
        await chat(flash.key, { model: 'deepseek-reasoner' }).expect(200);
        await chat(aliasOnly.key, { model: 'deepseek-chat' }).expect(200);
        const refused = [
          await chat(flash.key, { model: 'deepseek-v4-pro' }).expect(403),
          await chat(aliasOnly.key, { model: 'deepseek-flash' }).expect(403),
          await chat(aliasOnly.key, { model: 'deepseek-reasoner' }).expect(403),
        ];

        expect(refused.map((response) => (response.body as ErrorBody).code)).toEqual([
          ErrorCode.ModelNotAllowed,
          ErrorCode.ModelNotAllowed,
          ErrorCode.ModelNotAllowed,
        ]);
        expect(fake.requests).toHaveLength(4);
        const usage = await usageOf(session.user.id);
        expect(usage.filter((row) => row.status === 'model_not_allowed').map((row) => row.model)).toEqual([
          'deepseek-v4-pro',
          'deepseek-flash',
          'deepseek-reasoner',
        ]);
        // A login is not held to any key's list.
        await chat(session.accessToken, { model: 'deepseek-v4-pro' }).expect(200);
      });

      it('answers the OpenAI-compatible route in OpenAI’s error shape', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { models: ['deepseek-flash'] });

        const refused = await request(testApp.http)
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${key.key}`)
          .send({ model: 'deepseek-v4-pro', messages: [{ role: 'user', content: 'hi' }], max_tokens: 10 })
          .expect(403);

        expect(refused.body).toMatchObject({
          error: { type: 'permission_error', code: ErrorCode.ModelNotAllowed },
        });
      });

      it('refuses unknown model ids when a key is created or changed (400)', async () => {
        const session = await registerUser(testApp.http);
        const refused = await as(session.accessToken)
          .post('/api/keys', { name: 'x', models: ['deepseek-flash', 'gpt-9'] })
          .expect(400);
        expect(refused.body).toMatchObject({
          code: ErrorCode.ValidationFailed,
          details: [{ field: 'models', messages: [expect.stringContaining('gpt-9')] }],
        });
        const key = await createKey(session, {});
        await as(session.accessToken)
          .patch(`/api/keys/${key.id}`, { models: ['nope'] })
          .expect(400);
        await as(session.accessToken).patch(`/api/keys/${key.id}`, { models: [] }).expect(400);
        await as(session.accessToken)
          .patch(`/api/keys/${key.id}`, { models: ['Bad Id'] })
          .expect(400);
        expect((await keysOf(session))[0]?.models).toBeNull();
      });
    });

    describe('a key’s expiry', () => {
      it('is 401 at once when passed, and works again when moved into the future', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
        await as(key.key).get('/api/credits').expect(200);

        // The hour has passed.
        await owner().query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [
          key.id,
        ]);

        const refused = await as(key.key).get('/api/credits').expect(401);
        expect(refused.body).toMatchObject({ code: ErrorCode.Unauthenticated });
        await chat(key.key).expect(401);
        expect(await usageOf(session.user.id)).toEqual([]);
        // Still listed, so its owner sees why it stopped, and can extend it.
        const [listed] = await keysOf(session);
        expect(new Date(listed!.expiresAt!).getTime()).toBeLessThan(Date.now());
        await as(session.accessToken).patch(`/api/keys/${key.id}`, { expiresAt: null }).expect(200);
        await as(key.key).get('/api/credits').expect(200);
      });

      it('fails a chat whose key expired between authentication and the reservation (401, nothing held)', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, {});
        await owner().query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [
          key.id,
        ]);

        await expect(
          testApp.database
            .pool({ role: DatabaseRole.Runtime })
            .query(`SELECT * FROM reserve_credits_checked($1::uuid, 10, 60000, $2::uuid, $3::text)`, [
              session.user.id,
              key.id,
              MODEL,
            ]),
        ).rejects.toMatchObject({ code: 'CG401' });
      });

      it('must lie in the future, and be a timestamp (400)', async () => {
        const session = await registerUser(testApp.http);
        for (const expiresAt of [new Date(Date.now() - 1000).toISOString(), 'tomorrow', '2026-02-30']) {
          await as(session.accessToken).post('/api/keys', { name: 'x', expiresAt }).expect(400);
        }
      });
    });

    describe('GET /api/keys and the key routes', () => {
      it('shows each key’s limits, its spend in the current period and when the period resets', async () => {
        const session = await registerUser(testApp.http);
        const created = await createKey(session, {
          name: 'full',
          creditLimit: 500,
          budget: { credits: 50, period: 'month' },
          models: ['deepseek-flash', MODEL],
          expiresAt: '2100-01-01T00:00:00Z',
          allowedIps: ['0.0.0.0/0', '::/0'],
        });
        await chat(created.key).expect(200);

        const [listed] = await keysOf(session);

        const now = new Date();
        expect(listed).toEqual({
          id: created.id,
          name: 'full',
          prefix: created.prefix,
          creditLimit: 500,
          creditsSpent: 10,
          budget: { credits: 50, period: 'month' },
          models: ['deepseek-flash', MODEL],
          expiresAt: '2100-01-01T00:00:00.000Z',
          allowedIps: ['0.0.0.0/0', '::/0'],
          spend: {
            period: 'month',
            credits: 10,
            periodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
            resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
          },
          lastUsedAt: expect.any(String) as string,
          createdAt: expect.any(String) as string,
        });
      });

      it('refuses bad limits with 400 and leaves the key as it was', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { budget: { credits: 10, period: 'day' } });
        const bad: object[] = [
          { budget: { credits: 0, period: 'day' } },
          { budget: { credits: 10, period: 'fortnight' } },
          { budget: { credits: 1.5, period: 'day' } },
          { budget: { credits: 10, period: 'day', extra: 1 } },
          { allowedIps: ['10.0.0.0/33'] },
          { allowedIps: ['localhost'] },
          { allowedIps: [] },
          { name: null },
          { creditLimit: 0 },
          { unknownField: true },
        ];
        for (const body of bad) {
          const refused = await as(session.accessToken).patch(`/api/keys/${key.id}`, body);
          expect([JSON.stringify(body), refused.status]).toEqual([JSON.stringify(body), 400]);
        }
        expect((await keysOf(session))[0]).toMatchObject({ budget: { credits: 10, period: 'day' }, allowedIps: null });
      });

      it('refuses a lifetime limit below what the key already spent (400), and another user’s key (404)', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, {});
        await chat(key.key).expect(200);

        await as(session.accessToken).patch(`/api/keys/${key.id}`, { creditLimit: 5 }).expect(400);
        const other = await registerUser(testApp.http);
        await as(other.accessToken).patch(`/api/keys/${key.id}`, { budget: null }).expect(404);
        await as(key.key).patch(`/api/keys/${key.id}`, { budget: null }).expect(401);
      });
    });

    describe('an admin and a user’s keys', () => {
      it('lists them with limits and spend, changes their limits (audited) and revokes them', async () => {
        const session = await registerUser(testApp.http);
        const key = await createKey(session, { name: 'app', budget: { credits: 100, period: 'day' } });
        await chat(key.key).expect(200);
        const keysPath = `/api/admin/users/${session.user.id}/keys`;

        const listed = (await as(admin.accessToken).get(keysPath).expect(200)).body as ListResponse<ApiKeyView>;
        expect(listed.items).toEqual([
          expect.objectContaining({
            id: key.id,
            budget: { credits: 100, period: 'day' },
            spend: expect.objectContaining({ credits: 10 }) as unknown,
          }),
        ]);

        const changed = (
          await as(admin.accessToken)
            .patch(`${keysPath}/${key.id}`, {
              budget: { credits: 10, period: 'day' },
              models: [MODEL],
              reason: 'abuse',
            })
            .expect(200)
        ).body as ApiKeyView;
        expect(changed).toMatchObject({ budget: { credits: 10, period: 'day' }, models: [MODEL] });
        await chat(key.key).expect(403);
        await as(admin.accessToken).patch(`${keysPath}/${key.id}`, { name: 'renamed' }).expect(400);
        await as(session.accessToken).patch(`${keysPath}/${key.id}`, { budget: null }).expect(403);

        await as(session.accessToken).delete(`${keysPath}/${key.id}`).expect(403);
        await as(admin.accessToken).delete(`${keysPath}/${key.id}`).expect(204);
        await as(key.key).get('/api/credits').expect(401);
        await as(admin.accessToken).delete(`${keysPath}/${key.id}`).expect(404);
        const stranger = await registerUser(testApp.http);
        await as(admin.accessToken).get(`/api/admin/users/00000000-0000-4000-8000-000000000000/keys`).expect(404);
        await as(admin.accessToken)
          .patch(`/api/admin/users/${stranger.user.id}/keys/${key.id}`, { budget: null })
          .expect(404);

        const audit = (
          await as(admin.accessToken).get(`/api/admin/audit?targetType=user&targetId=${session.user.id}`).expect(200)
        ).body as ListResponse<AuditItem>;
        expect(audit.items.map((item) => [item.action, item.reason, item.actorEmail])).toEqual([
          ['api_key.revoked', null, admin.user.email],
          ['api_key.limits_changed', 'abuse', admin.user.email],
        ]);
        expect(audit.items[1]?.details).toMatchObject({
          apiKeyId: key.id,
          before: { budget: { credits: 100, period: 'day' }, models: null },
          after: { budget: { credits: 10, period: 'day' }, models: [MODEL] },
        });
        const detail = (await as(admin.accessToken).get(`/api/admin/users/${session.user.id}`).expect(200))
          .body as AdminUserDetail;
        expect(detail.apiKeys).toEqual([]);
        expect(detail.spendLimit).toBeNull();
      });
    });
  });

  describe('allowedIps', () => {
    /** Two keys of one user: one for 203.0.113.0/24 and 2001:db8::/32, one for the loopback addresses. */
    async function keysFor(testApp: TestApp): Promise<{ remote: string; loopback: string }> {
      const session = await registerUser(testApp.http);
      const create = async (allowedIps: string[]) =>
        (
          (
            await request(testApp.http)
              .post('/api/keys')
              .set('Authorization', `Bearer ${session.accessToken}`)
              .send({ name: 'ranged', allowedIps })
              .expect(201)
          ).body as CreatedApiKey
        ).key;
      return {
        remote: await create(['203.0.113.0/24', '2001:db8::/32']),
        loopback: await create(['127.0.0.0/8', '::1/128']),
      };
    }

    /** `GET /api/credits` with `key`, to `baseUrl`, claiming `forwardedFor`; the status and error code. */
    async function attempt(baseUrl: string, key: string, forwardedFor?: string): Promise<[number, string?]> {
      const call = request(baseUrl).get('/api/credits').set('Authorization', `Bearer ${key}`);
      const response = await (forwardedFor === undefined ? call : call.set('X-Forwarded-For', forwardedFor));
      return response.status === 200 ? [200] : [response.status, (response.body as ErrorBody).code];
    }

    describe('without TRUST_PROXY: the socket’s address', () => {
      let testApp: TestApp;
      let ipv4: string;
      let ipv6: string;

      beforeAll(async () => {
        testApp = await createTestApp();
        // A dual-stack socket: IPv4 clients arrive as ::ffff:127.0.0.1, IPv6 ones as ::1.
        await testApp.app.listen(0, '::');
        const { port } = (testApp.app.getHttpServer() as Server).address() as AddressInfo;
        ipv4 = `http://127.0.0.1:${port}`;
        ipv6 = `http://[::1]:${port}`;
      });

      afterAll(async () => {
        await testApp.close();
      });

      it('admits a client inside the ranges, over IPv4 and IPv6', async () => {
        const { loopback } = await keysFor(testApp);

        expect(await attempt(ipv4, loopback)).toEqual([200]);
        expect(await attempt(ipv6, loopback)).toEqual([200]);
      });

      it('refuses a client outside them with 403 FORBIDDEN, whatever X-Forwarded-For claims', async () => {
        const { remote } = await keysFor(testApp);

        expect(await attempt(ipv4, remote)).toEqual([403, ErrorCode.Forbidden]);
        expect(await attempt(ipv6, remote)).toEqual([403, ErrorCode.Forbidden]);
        expect(await attempt(ipv4, remote, '203.0.113.7')).toEqual([403, ErrorCode.Forbidden]);
        expect(await attempt(ipv6, remote, '2001:db8::7')).toEqual([403, ErrorCode.Forbidden]);
      });
    });

    describe('with TRUST_PROXY naming the proxy: the address it forwards', () => {
      let testApp: TestApp;
      let baseUrl: string;

      beforeAll(async () => {
        testApp = await createTestApp({ env: { TRUST_PROXY: '127.0.0.1, ::1' } });
        baseUrl = await testApp.listen();
      });

      afterAll(async () => {
        await testApp.close();
      });

      it('admits a forwarded client inside the ranges, IPv4 or IPv6, and refuses one outside', async () => {
        const { remote, loopback } = await keysFor(testApp);

        expect(await attempt(baseUrl, remote, '203.0.113.7')).toEqual([200]);
        expect(await attempt(baseUrl, remote, '2001:db8:5::1')).toEqual([200]);
        expect(await attempt(baseUrl, remote, '198.51.100.7')).toEqual([403, ErrorCode.Forbidden]);
        expect(await attempt(baseUrl, remote, '2001:db9::1')).toEqual([403, ErrorCode.Forbidden]);
        // The proxy itself is not the client: a loopback-only key is refused for a forwarded remote client.
        expect(await attempt(baseUrl, loopback, '203.0.113.7')).toEqual([403, ErrorCode.Forbidden]);
        expect(await attempt(baseUrl, loopback)).toEqual([200]);
        // Only the hops the proxy is trusted for count: a client's own claim before it is ignored.
        expect(await attempt(baseUrl, remote, '203.0.113.7, 198.51.100.7')).toEqual([403, ErrorCode.Forbidden]);
      });
    });
  });
});
