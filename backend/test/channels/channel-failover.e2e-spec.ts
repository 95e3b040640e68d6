import request from 'supertest';
import { freePort } from '#test/support/backend-process.js';
import {
  type AuthResponse,
  type ChannelView,
  type CreateChannelRequest,
  ErrorCode,
  type UsageItem,
} from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { type FakeBehaviour, FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { insertTestModel, useFlatTestPrices } from '#test/support/test-prices.js';

const AI_TIMEOUT_MS = 3000;
const STREAM_IDLE_TIMEOUT_MS = 400;

/** A sample's value in Prometheus text (0 when absent: counters start there). */
function metricOf(text: string, sample: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

interface UsageRow {
  status: string;
  error_code: string | null;
  credits_charged: string;
  channel: string | null;
  attempts: number;
}

/**
 * Routing and failover over three real fake upstreams on loopback (docs/channels.md). Health
 * thresholds are out of reach here (CHANNEL_FAILURE_THRESHOLD 1000), so each case sees routing alone;
 * cool-downs are tested in channel-health.e2e-spec.ts.
 */
describe('upstream channels: routing and failover', () => {
  const keys = { a: 'sk-channel-a-1111', b: 'sk-channel-b-2222', c: 'sk-channel-c-3333' };
  let fakes: { a: FakeDeepSeek; b: FakeDeepSeek; c: FakeDeepSeek };
  let testApp: TestApp;
  let admin: AuthResponse;

  beforeAll(async () => {
    fakes = {
      a: await FakeDeepSeek.start({ apiKey: keys.a }),
      b: await FakeDeepSeek.start({ apiKey: keys.b }),
      c: await FakeDeepSeek.start({ apiKey: keys.c }),
    };
    testApp = await createTestApp({
      env: {
        AI_TIMEOUT_MS: String(AI_TIMEOUT_MS),
        STREAM_IDLE_TIMEOUT_MS: String(STREAM_IDLE_TIMEOUT_MS),
        AI_DEFAULT_MODEL: 'deepseek-chat',
      },
    });
    await useFlatTestPrices(owner());
    admin = await registerAdmin(testApp.http, owner());
  });

  afterEach(async () => {
    for (const fake of Object.values(fakes)) fake.reset();
    await owner().query('DELETE FROM channels');
    await expectCreditInvariants(owner());
  });

  afterAll(async () => {
    await testApp.close();
    await Promise.all(Object.values(fakes).map((fake) => fake.stop()));
  });

  const owner = () => testApp.database.pool();
  /** The chat calls a fake received (listing a `deepseek` channel also reads its balance). */
  const calls = (fake: FakeDeepSeek) => fake.requests.filter((call) => call.path.endsWith('/chat/completions'));

  async function addChannel(name: 'a' | 'b' | 'c', fields: Partial<CreateChannelRequest> = {}): Promise<ChannelView> {
    const response = await request(testApp.http)
      .post('/api/admin/channels')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({
        name,
        kind: 'deepseek',
        baseUrl: fakes[name].url,
        apiKey: keys[name],
        models: ['deepseek-chat', 'deepseek-flash'],
        ...fields,
      })
      .expect(201);
    return response.body as ChannelView;
  }

  const chat = (token: string, body: object = { prompt: 'Hello there' }) =>
    request(testApp.http).post('/api/ai/chat').set('Authorization', `Bearer ${token}`).send(body);

  async function usageOf(userId: string): Promise<UsageRow[]> {
    const { rows } = await owner().query<UsageRow>(
      `SELECT status, error_code, credits_charged, channel, attempts FROM usage_logs
        WHERE user_id = $1::uuid ORDER BY created_at`,
      [userId],
    );
    return rows;
  }

  async function chargeOf(userId: string): Promise<number> {
    const { rows } = await owner().query<{ total: string | null }>(
      `SELECT sum(-amount) AS total FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'charge'`,
      [userId],
    );
    return Number(rows[0]?.total ?? 0);
  }

  describe.each<[string, FakeBehaviour | 'refused connection' | 'wrong key', { disables: boolean }]>([
    ['a refused connection', 'refused connection', { disables: false }],
    ['a connection reset in the middle of the headers', { kind: 'reset-mid-headers' }, { disables: false }],
    ['no first byte within STREAM_IDLE_TIMEOUT_MS', { kind: 'hang' }, { disables: false }],
    ['HTTP 408', { kind: 'status', status: 408 }, { disables: false }],
    ['HTTP 429', { kind: 'status', status: 429 }, { disables: false }],
    ['HTTP 500', { kind: 'status', status: 500 }, { disables: false }],
    ['HTTP 502', { kind: 'status', status: 502 }, { disables: false }],
    ['HTTP 503', { kind: 'status', status: 503 }, { disables: false }],
    ['HTTP 504', { kind: 'status', status: 504 }, { disables: false }],
    ['HTTP 402 (the channel’s account is empty)', { kind: 'status', status: 402 }, { disables: true }],
    ['HTTP 401 (the channel’s key is refused)', 'wrong key', { disables: true }],
  ])('when the first channel fails with %s', (_what, failure, { disables }) => {
    it('the next channel answers: one hold, one charge, one usage row naming it, two attempts', async () => {
      const first = await addChannel('a', {
        priority: 0,
        ...(failure === 'refused connection' ? { baseUrl: `http://127.0.0.1:${await freePort()}` } : {}),
        ...(failure === 'wrong key' ? { apiKey: 'sk-revoked-key-0000' } : {}),
      });
      await addChannel('b', { priority: 1 });
      if (typeof failure === 'object') fakes.a.behave(failure);
      fakes.b.behave({ kind: 'answer', content: 'From b.', usage: { promptTokens: 100, completionTokens: 100 } });
      const session = await registerUser(testApp.http);

      const started = Date.now();
      const response = await chat(session.accessToken).expect(200);

      expect(Date.now() - started).toBeLessThan(AI_TIMEOUT_MS);
      // 1 + ceil(100 × 2.8 / 1000 + 100 × 4.2 / 1000) = 2
      expect(response.body).toMatchObject({ answer: 'From b.', creditsCharged: 2, balance: 998 });
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 998, held: 0 });
      expect(await chargeOf(session.user.id)).toBe(2);
      expect(await usageOf(session.user.id)).toEqual([
        { status: 'success', error_code: null, credits_charged: '2', channel: 'b', attempts: 2 },
      ]);
      expect(calls(fakes.a)).toHaveLength(failure === 'refused connection' ? 0 : 1);
      expect(calls(fakes.b)).toHaveLength(1);

      const { rows } = await owner().query<{ enabled: boolean; disabled_reason: string | null }>(
        'SELECT enabled, disabled_reason FROM channels WHERE id = $1::uuid',
        [first.id],
      );
      expect(rows[0]?.enabled).toBe(!disables);
      if (disables) {
        expect(rows[0]?.disabled_reason).toMatch(/HTTP 40[12]/);
        // Off until an admin enables it: the next chat goes straight to b.
        await chat(session.accessToken).expect(200);
        expect(calls(fakes.a)).toHaveLength(1);
        expect(calls(fakes.b)).toHaveLength(2);
      }
    });
  });

  it.each([400, 422])(
    'does not retry an upstream %i (the request is at fault): answers 400, charges nothing',
    async (status) => {
      await addChannel('a', { priority: 0 });
      await addChannel('b', { priority: 1 });
      fakes.a.behave({ kind: 'status', status, message: 'This request is malformed.' });
      const session = await registerUser(testApp.http);

      const response = await chat(session.accessToken).expect(400);

      expect(response.body).toMatchObject({ code: ErrorCode.ValidationFailed });
      expect(calls(fakes.a)).toHaveLength(1);
      expect(calls(fakes.b)).toHaveLength(0);
      expect(await usageOf(session.user.id)).toEqual([
        {
          status: 'provider_error',
          error_code: ErrorCode.ValidationFailed,
          credits_charged: '0',
          channel: 'a',
          attempts: 1,
        },
      ]);
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
    },
  );

  it('answers 500 after every channel failed, naming the last one tried, charging nothing', async () => {
    await addChannel('a', { priority: 0 });
    await addChannel('b', { priority: 1 });
    await addChannel('c', { priority: 2 });
    for (const fake of Object.values(fakes)) fake.behave({ kind: 'status', status: 503 });
    const session = await registerUser(testApp.http);

    const response = await chat(session.accessToken).expect(500);

    expect(response.body).toMatchObject({ code: ErrorCode.AiProviderError });
    expect([fakes.a, fakes.b, fakes.c].map((fake) => calls(fake).length)).toEqual([1, 1, 1]);
    expect(await usageOf(session.user.id)).toEqual([
      {
        status: 'provider_error',
        error_code: ErrorCode.AiProviderError,
        credits_charged: '0',
        channel: 'c',
        attempts: 3,
      },
    ]);
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
  });

  describe('one deadline for all attempts', () => {
    it('a first channel that hangs and a second that answers: the answer arrives within AI_TIMEOUT_MS', async () => {
      await addChannel('a', { priority: 0 });
      await addChannel('b', { priority: 1 });
      fakes.a.behave({ kind: 'hang' });
      const session = await registerUser(testApp.http);

      const started = Date.now();
      const response = await chat(session.accessToken);
      expect(response.body).toMatchObject({ answer: 'Hello from the fake.' });

      expect(Date.now() - started).toBeLessThan(AI_TIMEOUT_MS);
      expect(await usageOf(session.user.id)).toEqual([expect.objectContaining({ channel: 'b', attempts: 2 })]);
    });

    it('a first channel that keeps the connection alive past the deadline: a timeout, and no second call', async () => {
      await addChannel('a', { priority: 0 });
      await addChannel('b', { priority: 1 });
      // Keep-alive lines every 100 ms: never silent for STREAM_IDLE_TIMEOUT_MS, never an answer in time.
      fakes.a.behave({ kind: 'answer', content: 'too late', keepAliveComments: { count: 100, intervalMs: 100 } });
      const session = await registerUser(testApp.http);

      const started = Date.now();
      const response = await chat(session.accessToken).expect(500);

      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(AI_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(AI_TIMEOUT_MS + 1000);
      expect(response.body).toMatchObject({ code: ErrorCode.AiProviderTimeout });
      expect(calls(fakes.b)).toHaveLength(0);
      expect(await usageOf(session.user.id)).toEqual([
        { status: 'timeout', error_code: ErrorCode.AiProviderTimeout, credits_charged: '0', channel: 'a', attempts: 1 },
      ]);
    });
  });

  describe('streams (/v1/chat/completions)', () => {
    async function apiKeyFor(session: AuthResponse): Promise<string> {
      const response = await request(testApp.http)
        .post('/api/keys')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ name: 'stream client' })
        .expect(201);
      return (response.body as { key: string }).key;
    }

    const stream = (key: string) =>
      request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send({ model: 'deepseek-chat', stream: true, messages: [{ role: 'user', content: 'Stream to me' }] });

    it('fails over when the first channel fails before its first byte', async () => {
      await addChannel('a', { priority: 0 });
      await addChannel('b', { priority: 1 });
      fakes.a.behave({ kind: 'status', status: 503 });
      fakes.b.behave({ kind: 'answer', content: 'Streamed from b.' });
      const session = await registerUser(testApp.http);

      const response = await stream(await apiKeyFor(session)).expect(200);

      expect(response.text).toContain('Streamed');
      expect(response.text).toContain('data: [DONE]');
      expect(await usageOf(session.user.id)).toEqual([
        expect.objectContaining({ status: 'success', channel: 'b', attempts: 2 }),
      ]);
    });

    it('never retries after the first streamed byte: the stream ends with an error event, the delivered part is charged', async () => {
      await addChannel('a', { priority: 0 });
      await addChannel('b', { priority: 1 });
      fakes.a.behave({ kind: 'stream-then-drop', content: 'Half an answer, then' });
      const session = await registerUser(testApp.http);

      const response = await stream(await apiKeyFor(session)).expect(200);

      expect(response.text).toContain('Half an');
      expect(response.text).toContain(ErrorCode.AiProviderError);
      expect(calls(fakes.b)).toHaveLength(0);
      const [row] = await usageOf(session.user.id);
      expect(row).toMatchObject({ status: 'provider_error', channel: 'a', attempts: 1 });
      expect(Number(row?.credits_charged)).toBeGreaterThan(0);
      expect(await chargeOf(session.user.id)).toBe(Number(row?.credits_charged));
    });
  });

  it('charges exactly 10 of 40 parallel chats whose credits cover 10 while one of two channels fails every other call', async () => {
    await insertTestModel(owner(), { id: 'flat-100', requestCredits: 100 });
    await addChannel('a', { priority: 0, models: ['flat-100'] });
    await addChannel('b', { priority: 0, models: ['flat-100'] });
    fakes.a.behaveNext(
      ...Array.from({ length: 40 }, (_, index): FakeBehaviour =>
        index % 2 === 0 ? { kind: 'status', status: 503 } : { kind: 'answer', content: 'ok from a', delayMs: 50 },
      ),
    );
    fakes.b.behave({ kind: 'answer', content: 'ok from b', delayMs: 50 });
    const session = await registerUser(testApp.http);

    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        chat(session.accessToken, { prompt: 'race', model: 'flat-100' }).then((response) => response.status),
      ),
    );

    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 403 || status === 409)).toBe(true);
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 0, held: 0 });
    const usage = await usageOf(session.user.id);
    expect(usage).toHaveLength(40);
    const charged = usage.filter((row) => row.status === 'success');
    expect(charged).toHaveLength(10);
    for (const row of charged) {
      expect(row.credits_charged).toBe('100');
      expect(['a', 'b']).toContain(row.channel);
      expect(row.attempts).toBeGreaterThanOrEqual(1);
    }
    // Each hold reached upstream at most once per channel: at most 20 calls for 10 reserved chats.
    expect(calls(fakes.a).length + calls(fakes.b).length).toBeLessThanOrEqual(20);
    expect(calls(fakes.b).length).toBeLessThanOrEqual(10);
    expect(await chargeOf(session.user.id)).toBe(1000);
  });

  it('tries the lowest priority number first', async () => {
    await addChannel('a', { priority: 5 });
    await addChannel('b', { priority: 0 });
    await addChannel('c', { priority: 9 });
    const session = await registerUser(testApp.http);

    for (let i = 0; i < 10; i += 1) await chat(session.accessToken).expect(200);

    expect([fakes.a, fakes.b, fakes.c].map((fake) => calls(fake).length)).toEqual([0, 10, 0]);
  });

  it('spreads a priority by weight: 3:1 over 400 chats lands within 4 standard deviations of 300:100', async () => {
    await insertTestModel(owner(), { id: 'flat-1', requestCredits: 1 });
    await addChannel('a', { priority: 0, weight: 3, models: ['flat-1'] });
    await addChannel('b', { priority: 0, weight: 1, models: ['flat-1'] });
    await addChannel('c', { priority: 1, weight: 1000, models: ['flat-1'] });
    const session = await registerUser(testApp.http);

    for (let batch = 0; batch < 40; batch += 1) {
      await Promise.all(
        Array.from({ length: 10 }, () => chat(session.accessToken, { prompt: 'w', model: 'flat-1' }).expect(200)),
      );
    }

    // a's share is Binomial(400, 0.75): mean 300, standard deviation √(400 × 0.75 × 0.25) ≈ 8.7. ±35
    // is 4 standard deviations: a correct router fails this about once in 16,000 runs, while a router
    // that ignored weights (mean 200) or always took the heavier channel (400) fails it every time.
    expect(calls(fakes.a).length).toBeGreaterThanOrEqual(265);
    expect(calls(fakes.a).length).toBeLessThanOrEqual(335);
    expect(calls(fakes.a).length + calls(fakes.b).length).toBe(400);
    // A lower priority is not a bigger weight: c (priority 1) is never reached while a and b answer.
    expect(calls(fakes.c)).toHaveLength(0);
  });

  it('counts every upstream call per channel and outcome in /metrics, and shows channel and attempts in usage and CSV', async () => {
    await addChannel('a', { priority: 0 });
    await addChannel('b', { priority: 1 });
    fakes.a.behave({ kind: 'status', status: 503 });
    const session = await registerUser(testApp.http);
    const before = await request(testApp.http).get('/metrics').expect(200);
    await chat(session.accessToken).expect(200);

    const after = await request(testApp.http).get('/metrics').expect(200);
    expect(metricOf(after.text, 'creditgate_channel_calls_total{channel="a",outcome="http_503"}')).toBe(
      metricOf(before.text, 'creditgate_channel_calls_total{channel="a",outcome="http_503"}') + 1,
    );
    expect(metricOf(after.text, 'creditgate_channel_calls_total{channel="b",outcome="answered"}')).toBe(
      metricOf(before.text, 'creditgate_channel_calls_total{channel="b",outcome="answered"}') + 1,
    );
    expect(metricOf(after.text, 'creditgate_channel_state{channel="a",state="healthy"}')).toBe(1);

    const own = await request(testApp.http)
      .get('/api/usage')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(200);
    expect((own.body as { items: UsageItem[] }).items).toEqual([
      expect.objectContaining({ channel: 'b', attempts: 2 }),
    ]);
    const csv = await request(testApp.http)
      .get(`/api/admin/usage/export?userId=${session.user.id}`)
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(200);
    const [header, line] = csv.text.trim().split('\n');
    expect(header?.split(',').slice(-2)).toEqual(['channel', 'attempts']);
    expect(line?.split(',').slice(-2)).toEqual(['b', '2']);
  });
});
