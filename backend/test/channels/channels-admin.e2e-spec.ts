import request from 'supertest';
import {
  type AuthResponse,
  type ChannelTestResult,
  type ChannelView,
  ErrorCode,
  type ModelView,
} from '#src/contract/index.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const SECRET = 'sk-admin-suite-9f8e7d6c5b4a3210';
const OTHER_SECRETS_KEY = 'ERERERERERERERERERERERERERERERERERERERERERE=';

/** The admin API of channels (docs/channels.md): what admins can do, what they are refused, what is never shown. */
describe('channels admin API', () => {
  let fake: FakeDeepSeek;
  let database: TestDatabase;
  let testApp: TestApp;
  let admin: AuthResponse;
  /** Every response body of the suite, to prove no key was ever in one. */
  const bodies: string[] = [];

  beforeAll(async () => {
    fake = await FakeDeepSeek.start({ apiKey: SECRET });
    database = await createTestDatabase();
    testApp = await createTestApp({ database, env: { AI_DEFAULT_MODEL: 'deepseek-flash' } });
    admin = await registerAdmin(testApp.http, database.pool());
  });

  afterAll(async () => {
    await testApp.close();
    await database.drop();
    await fake.stop();
  });

  const as = (token: string) => ({
    get: (path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${token}`),
    post: (path: string, body?: object) =>
      request(testApp.http).post(path).set('Authorization', `Bearer ${token}`).send(body),
    patch: (path: string, body: object) =>
      request(testApp.http).patch(path).set('Authorization', `Bearer ${token}`).send(body),
    delete: (path: string) => request(testApp.http).delete(path).set('Authorization', `Bearer ${token}`),
  });
  const adminApi = () => as(admin.accessToken);
  const kept = <T extends { text: string }>(response: T): T => {
    bodies.push(response.text);
    return response;
  };
  const channel = (fields: object = {}) => ({
    name: 'primary',
    kind: 'deepseek',
    baseUrl: fake.url,
    apiKey: SECRET,
    models: ['deepseek-flash', 'deepseek-chat'],
    ...fields,
  });

  it('starts in demo mode and leaves it when the first channel is added', async () => {
    const user = await registerUser(testApp.http);
    const before = (await as(user.accessToken).get('/api/ai/models').expect(200)).body as { items: ModelView[] };
    expect(before.items.some((model) => model.model.startsWith('demo-'))).toBe(true);

    const created = kept(await adminApi().post('/api/admin/channels', channel()).expect(201)).body as ChannelView;

    const after = (await as(user.accessToken).get('/api/ai/models').expect(200)).body as { items: ModelView[] };
    // Only what the channel serves: the demo models and the unserved deepseek-v4-pro are gone.
    expect(after.items.map((model) => model.model).sort()).toEqual(['deepseek-chat', 'deepseek-flash']);
    await as(user.accessToken).post('/api/ai/chat', { prompt: 'hi', model: 'deepseek-v4-pro' }).expect(404);
    const answer = await as(user.accessToken).post('/api/ai/chat', { prompt: 'hi' }).expect(200);
    expect(answer.body).toMatchObject({ answer: 'Hello from the fake.' });

    expect(created).toMatchObject({
      name: 'primary',
      kind: 'deepseek',
      builtIn: false,
      baseUrl: fake.url,
      apiKeyLast4: '3210',
      models: ['deepseek-flash', 'deepseek-chat'],
      upstreamModels: {},
      priority: 0,
      weight: 1,
      enabled: true,
      state: 'healthy',
      balance: {
        available: true,
        error: null,
        balances: [{ currency: 'USD', total: '10.00', granted: '0.00', toppedUp: '10.00' }],
      },
    });
    expect(Object.keys(created)).not.toContain('apiKey');
  });

  it('reads the DeepSeek balance at most every 5 minutes, and shows none for OpenAI-compatible channels', async () => {
    const balanceReads = () => fake.requests.filter((call) => call.path === '/user/balance').length;
    const readsBefore = balanceReads();
    await adminApi().get('/api/admin/channels').expect(200);
    await adminApi().get('/api/admin/channels').expect(200);
    expect(balanceReads()).toBe(readsBefore);

    const other = kept(
      await adminApi()
        .post('/api/admin/channels', channel({ name: 'compat', kind: 'openai-compatible', models: ['deepseek-flash'] }))
        .expect(201),
    ).body as ChannelView;
    expect(other.balance).toBeNull();
    await adminApi().delete(`/api/admin/channels/${other.id}`).expect(204);
  });

  it.each([
    ['a model outside the catalog', { models: ['gpt-9'] }, 'models'],
    ['a demo model', { models: ['demo-echo'] }, 'models'],
    ['the built-in channel’s name', { name: 'deepseek' }, 'name'],
    ['a name taken by another channel (in any case)', { name: 'PRIMARY' }, 'name'],
    ['a base URL that is not http(s)', { baseUrl: 'file:///etc/passwd' }, 'baseUrl'],
    ['no API key', { apiKey: undefined }, 'apiKey'],
    ['an API key with spaces', { apiKey: 'sk has spaces' }, 'apiKey'],
    ['an upstream name for a model not served', { upstreamModels: { 'deepseek-v4-pro': 'x' } }, 'upstreamModels'],
    ['a priority out of range', { priority: 1001 }, 'priority'],
    ['a weight of 0', { weight: 0 }, 'weight'],
    ['an unknown kind', { kind: 'anthropic' }, 'kind'],
    ['an unknown field', { apiKeyPlain: 'x' }, 'apiKeyPlain'],
  ])('refuses %s with 400, changing nothing', async (_what, fields, field) => {
    const { rows: before } = await database.pool().query('SELECT count(*)::int AS n FROM channels');

    const response = kept(
      await adminApi()
        .post('/api/admin/channels', channel({ name: 'other', ...fields }))
        .expect(400),
    );

    expect(response.body).toMatchObject({ code: ErrorCode.ValidationFailed });
    expect(JSON.stringify(response.body)).toContain(field);
    const { rows: after } = await database.pool().query('SELECT count(*)::int AS n FROM channels');
    expect(after).toEqual(before);
  });

  it('refuses non-admins (403) and strangers (401)', async () => {
    const user = await registerUser(testApp.http);
    await as(user.accessToken).get('/api/admin/channels').expect(403);
    await as(user.accessToken)
      .post('/api/admin/channels', channel({ name: 'sneaky' }))
      .expect(403);
    await request(testApp.http).get('/api/admin/channels').expect(401);
  });

  it('changes a channel: a new key replaces the stored one, a missing channel is 404, a bad id 400', async () => {
    const [primary] = (await adminApi().get('/api/admin/channels').expect(200)).body as ChannelView[];
    const { rows: before } = await database
      .pool()
      .query<{ api_key_ciphertext: string }>('SELECT api_key_ciphertext FROM channels WHERE id = $1::uuid', [
        primary?.id,
      ]);

    const changed = kept(
      await adminApi()
        .patch(`/api/admin/channels/${primary?.id}`, { apiKey: 'sk-rotated-key-abcd', priority: 3, weight: 7 })
        .expect(200),
    ).body as ChannelView;

    expect(changed).toMatchObject({ apiKeyLast4: 'abcd', priority: 3, weight: 7, name: 'primary' });
    const { rows: after } = await database
      .pool()
      .query<{ api_key_ciphertext: string }>('SELECT api_key_ciphertext FROM channels WHERE id = $1::uuid', [
        primary?.id,
      ]);
    expect(after[0]?.api_key_ciphertext).not.toBe(before[0]?.api_key_ciphertext);
    // The fake accepts only SECRET: the rotated key is what a test call now sends.
    const test = (await adminApi().post(`/api/admin/channels/${primary?.id}/test`).expect(200))
      .body as ChannelTestResult;
    expect(test).toMatchObject({
      ok: false,
      model: 'deepseek-flash',
      error: expect.stringContaining('HTTP 401') as string,
    });
    await adminApi().patch(`/api/admin/channels/${primary?.id}`, { apiKey: SECRET }).expect(200);

    await adminApi().patch('/api/admin/channels/00000000-0000-4000-8000-000000000000', { weight: 2 }).expect(404);
    await adminApi().patch('/api/admin/channels/not-a-uuid', { weight: 2 }).expect(400);
    await adminApi().patch(`/api/admin/channels/${primary?.id}`, { apiKey: null }).expect(400);
  });

  it('tests a channel with one small real call, charging no one and logging no usage', async () => {
    const [primary] = (await adminApi().get('/api/admin/channels').expect(200)).body as ChannelView[];
    const { rows: usageBefore } = await database.pool().query('SELECT count(*)::int AS n FROM usage_logs');

    const result = kept(await adminApi().post(`/api/admin/channels/${primary?.id}/test`).expect(200))
      .body as ChannelTestResult;

    expect(result).toEqual({ ok: true, model: 'deepseek-flash', latencyMs: expect.any(Number) as number, error: null });
    const call = fake.requests.at(-1);
    expect(call?.body).toMatchObject({ model: 'deepseek-flash', max_tokens: 16, thinking: { type: 'disabled' } });
    const { rows: usageAfter } = await database.pool().query('SELECT count(*)::int AS n FROM usage_logs');
    expect(usageAfter).toEqual(usageBefore);
  });

  it('calls the upstream name a channel maps a model to', async () => {
    const compatible = await FakeDeepSeek.start({ apiKey: SECRET, models: ['house-model-7b'] });
    try {
      const created = kept(
        await adminApi()
          .post(
            '/api/admin/channels',
            channel({
              name: 'house',
              kind: 'openai-compatible',
              baseUrl: compatible.url,
              models: ['deepseek-v4-pro'],
              upstreamModels: { 'deepseek-v4-pro': 'house-model-7b' },
            }),
          )
          .expect(201),
      ).body as ChannelView;
      const user = await registerUser(testApp.http);

      await as(user.accessToken).post('/api/ai/chat', { prompt: 'hi', model: 'deepseek-v4-pro' }).expect(200);

      expect(compatible.requests.at(-1)?.body).toMatchObject({ model: 'house-model-7b' });
      await adminApi().delete(`/api/admin/channels/${created.id}`).expect(204);
      await adminApi().delete(`/api/admin/channels/${created.id}`).expect(404);
    } finally {
      await compatible.stop();
    }
  });

  it('audits every change without the key, stores only its ciphertext, and never shows or logs it', async () => {
    const { rows: audit } = await database
      .pool()
      .query<{ action: string; details: unknown }>(
        `SELECT action, details FROM audit_log WHERE target_type = 'channel' ORDER BY id`,
      );
    expect(audit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['channel.created', 'channel.updated', 'channel.deleted']),
    );
    const { rows: stored } = await database.pool().query('SELECT * FROM channels');
    const everything = [JSON.stringify(audit), JSON.stringify(stored), ...bodies, ...testApp.logLines()].join('\n');
    for (const secret of [SECRET, 'sk-rotated-key-abcd']) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(Buffer.from(secret).toString('base64'));
    }
  });

  it('refuses to boot when SECRETS_KEY cannot open the stored keys, naming the variable and the channel', async () => {
    await testApp.close();
    await expect(createTestApp({ database, env: { SECRETS_KEY: OTHER_SECRETS_KEY } })).rejects.toThrow(
      /SECRETS_KEY cannot decrypt the stored API key of channel "primary"/,
    );
    // With the key they were written with, it boots and the channel works.
    testApp = await createTestApp({ database });
    const user = await registerUser(testApp.http);
    await as(user.accessToken).post('/api/ai/chat', { prompt: 'hi' }).expect(200);
  });
});

describe('the built-in channel (DEEPSEEK_API_KEY)', () => {
  let fake: FakeDeepSeek;
  let testApp: TestApp;
  let admin: AuthResponse;

  beforeAll(async () => {
    fake = await FakeDeepSeek.start({ apiKey: SECRET });
    testApp = await createTestApp({ env: { DEEPSEEK_API_KEY: SECRET, DEEPSEEK_BASE_URL: fake.url } });
    admin = await registerAdmin(testApp.http, testApp.database.pool());
  });

  afterAll(async () => {
    await testApp.close();
    await fake.stop();
  });

  const api = () => ({
    get: (path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${admin.accessToken}`),
    patch: (path: string, body: object) =>
      request(testApp.http).patch(path).set('Authorization', `Bearer ${admin.accessToken}`).send(body),
    delete: (path: string) => request(testApp.http).delete(path).set('Authorization', `Bearer ${admin.accessToken}`),
  });

  it('is listed with every DeepSeek model of the catalog; only its priority, weight and enabled change', async () => {
    const [builtIn] = (await api().get('/api/admin/channels').expect(200)).body as ChannelView[];
    expect(builtIn).toMatchObject({ name: 'deepseek', builtIn: true, baseUrl: fake.url, apiKeyLast4: '3210' });
    expect(builtIn?.models).toEqual(
      expect.arrayContaining(['deepseek-chat', 'deepseek-flash', 'deepseek-reasoner', 'deepseek-v4-pro']),
    );
    expect(builtIn?.models.some((model) => model.startsWith('demo-'))).toBe(false);

    await api().patch(`/api/admin/channels/${builtIn?.id}`, { priority: 4, weight: 2 }).expect(200);
    const refused = await api()
      .patch(`/api/admin/channels/${builtIn?.id}`, { baseUrl: 'https://evil.example' })
      .expect(400);
    expect(refused.body).toMatchObject({ code: ErrorCode.ValidationFailed });
    await api().delete(`/api/admin/channels/${builtIn?.id}`).expect(400);

    const [after] = (await api().get('/api/admin/channels').expect(200)).body as ChannelView[];
    expect(after).toMatchObject({ priority: 4, weight: 2, baseUrl: fake.url });
  });

  it('is disabled by a refused key and serves again once an admin enables it', async () => {
    const user = await registerUser(testApp.http);
    fake.behave({ kind: 'status', status: 402 });
    await request(testApp.http)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .send({ prompt: 'hi' })
      .expect(500);
    const [disabled] = (await api().get('/api/admin/channels').expect(200)).body as ChannelView[];
    expect(disabled).toMatchObject({
      enabled: false,
      state: 'disabled',
      disabledReason: expect.stringContaining('402') as string,
    });

    fake.reset();
    // No channel can serve it now: 500 without an upstream call, nothing charged.
    const unavailable = await request(testApp.http)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .send({ prompt: 'hi' })
      .expect(500);
    expect(unavailable.body).toMatchObject({
      code: ErrorCode.AiProviderError,
      message: expect.stringContaining('No upstream channel is available') as string,
    });
    expect(fake.requests.filter((call) => call.path.endsWith('/chat/completions'))).toHaveLength(0);
    const { rows } = await testApp.database
      .pool()
      .query(
        'SELECT status, credits_charged, channel, attempts FROM usage_logs WHERE user_id = $1::uuid ORDER BY created_at',
        [user.user.id],
      );
    expect(rows.at(-1)).toEqual({ status: 'provider_error', credits_charged: '0', channel: null, attempts: 0 });

    await api().patch(`/api/admin/channels/${disabled?.id}`, { enabled: true }).expect(200);
    await request(testApp.http)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .send({ prompt: 'hi' })
      .expect(200);
    const [enabled] = (await api().get('/api/admin/channels').expect(200)).body as ChannelView[];
    expect(enabled).toMatchObject({ enabled: true, state: 'healthy', disabledReason: null });
  });
});
