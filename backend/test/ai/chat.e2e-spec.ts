import request from 'supertest';
import { type ChatResponse, ErrorCode } from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { pollUntil } from '#test/support/poll.js';
import { registerUser } from '#test/support/sessions.js';
import { restoreChannels } from '#test/support/channels.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { insertTestModel, useFlatTestPrices } from '#test/support/test-prices.js';

const AI_TIMEOUT_MS = 1500;

interface UsageRow {
  status: string;
  error_code: string | null;
  credits_charged: string;
  prompt_tokens: number;
  completion_tokens: number;
  prompt_chars: number;
  prompt_preview: string;
  hold_id: string | null;
  api_key_id: string | null;
}

describe('POST /api/ai/chat against a fake DeepSeek', () => {
  let fake: FakeDeepSeek;
  let testApp: TestApp;

  beforeAll(async () => {
    fake = await FakeDeepSeek.start();
    testApp = await createTestApp({
      env: {
        DEEPSEEK_API_KEY: 'sk-fake-upstream-key',
        DEEPSEEK_BASE_URL: fake.url,
        AI_TIMEOUT_MS: String(AI_TIMEOUT_MS),
        // The billing mechanics below keep V3.2's simple arithmetic (test-prices.ts).
        AI_DEFAULT_MODEL: 'deepseek-chat',
      },
    });
    await useFlatTestPrices(testApp.database.pool());
  });

  afterEach(async () => {
    fake.reset();
    // A 401 or 402 disables the channel, as it should; the next case needs it back.
    await restoreChannels(testApp);
    await expectCreditInvariants(testApp.database.pool());
  });

  afterAll(async () => {
    await testApp.close();
    await fake.stop();
  });

  const owner = () => testApp.database.pool();
  const chat = (token: string, body: object) =>
    request(testApp.http).post('/api/ai/chat').set('Authorization', `Bearer ${token}`).send(body);

  async function usageOf(userId: string): Promise<UsageRow[]> {
    const { rows } = await owner().query<UsageRow>(
      `SELECT status, error_code, credits_charged, prompt_tokens, completion_tokens, prompt_chars, prompt_preview,
              hold_id, api_key_id
         FROM usage_logs WHERE user_id = $1::uuid ORDER BY created_at`,
      [userId],
    );
    return rows;
  }

  async function openHolds(userId: string): Promise<number> {
    const { rows } = await owner().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM credit_holds WHERE user_id = $1::uuid AND status = 'open'`,
      [userId],
    );
    return rows[0]?.n ?? -1;
  }

  it('answers 200, charges the price formula on the upstream usage, and logs one usage and one ledger row', async () => {
    const session = await registerUser(testApp.http);
    fake.behave({ kind: 'answer', content: 'Paris.', usage: { promptTokens: 900, completionTokens: 1200 } });

    const response = await chat(session.accessToken, { prompt: '  What is the capital of France?  ' }).expect(200);

    // 1 + ceil(900 × 2.8 / 1000 + 1200 × 4.2 / 1000) = 1 + ceil(2.52 + 5.04) = 9
    expect(response.body).toEqual({
      id: expect.any(String) as string,
      model: 'deepseek-chat',
      answer: 'Paris.',
      finishReason: 'stop',
      usage: { promptTokens: 900, completionTokens: 1200, cacheHitTokens: 0, cacheMissTokens: 900, reasoningTokens: 0 },
      creditsCharged: 9,
      balance: 991,
    });
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 991, held: 0 });
    expect(await usageOf(session.user.id)).toEqual([
      expect.objectContaining({
        status: 'success',
        credits_charged: '9',
        prompt_tokens: 900,
        completion_tokens: 1200,
        prompt_chars: 30,
        prompt_preview: 'What is the capital of France?',
      }),
    ]);
    const { rows: ledger } = await owner().query(
      `SELECT amount, balance_after FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'charge'`,
      [session.user.id],
    );
    expect(ledger).toEqual([{ amount: '-9', balance_after: '991' }]);
    // The retired name reaches DeepSeek as the model it now means, with its fixed thinking setting.
    expect(fake.requests).toEqual([
      {
        method: 'POST',
        path: '/chat/completions',
        authorization: 'Bearer sk-fake-upstream-key',
        body: {
          model: 'deepseek-flash',
          thinking: { type: 'disabled' },
          max_tokens: 4096,
          stream: false,
          messages: [{ role: 'user', content: 'What is the capital of France?' }],
        },
      },
    ]);
  });

  it('waits through DeepSeek keep-alive blank lines and charges the answer that follows', async () => {
    const session = await registerUser(testApp.http);
    fake.behave({ kind: 'answer', content: 'Patience pays.', keepAliveLines: 5 });

    const response = await chat(session.accessToken, { prompt: 'Wait for it', maxTokens: 100 }).expect(200);

    expect((response.body as ChatResponse).answer).toBe('Patience pays.');
    expect((response.body as ChatResponse).creditsCharged).toBe(2);
  });

  it('never charges more than the hold, whatever usage the provider reports', async () => {
    const session = await registerUser(testApp.http);
    fake.behave({ kind: 'answer', content: 'Long.', usage: { promptTokens: 1_000_000, completionTokens: 1_000_000 } });

    const response = await chat(session.accessToken, { prompt: 'hi', maxTokens: 10 }).expect(200);

    // hold = 1 + ceil((2 + 8) × 2.8 / 1000 + 10 × 4.2 / 1000) = 2
    expect((response.body as ChatResponse).creditsCharged).toBe(2);
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 998, held: 0 });
  });

  it('charges conservatively when the provider reports no usage (bytes as tokens), within the hold', async () => {
    const session = await registerUser(testApp.http);
    fake.behave({ kind: 'answer', content: 'x'.repeat(1000), usage: null });

    const response = await chat(session.accessToken, { prompt: 'Say x a thousand times', maxTokens: 1000 }).expect(200);

    // prompt bound 22 + 8 = 30 tokens, answer 1000 bytes: 1 + ceil(30 × 2.8 / 1000 + 1000 × 4.2 / 1000) = 6
    expect(response.body).toMatchObject({ creditsCharged: 6, usage: { promptTokens: 30, completionTokens: 1000 } });
  });

  describe.each([
    ['an empty answer', { kind: 'answer', content: '' }, ErrorCode.AiEmptyResponse, 'empty_response'],
    ['a blank answer', { kind: 'answer', content: ' \n\t ' }, ErrorCode.AiEmptyResponse, 'empty_response'],
    [
      'finish_reason insufficient_system_resource',
      { kind: 'answer', content: 'partial', finishReason: 'insufficient_system_resource' },
      ErrorCode.AiProviderError,
      'provider_error',
    ],
    [
      'finish_reason content_filter',
      { kind: 'answer', content: 'x', finishReason: 'content_filter' },
      ErrorCode.AiProviderError,
      'provider_error',
    ],
    ['HTTP 401', { kind: 'status', status: 401 }, ErrorCode.AiProviderError, 'provider_error'],
    ['HTTP 402 (upstream balance)', { kind: 'status', status: 402 }, ErrorCode.AiProviderError, 'provider_error'],
    ['HTTP 429', { kind: 'status', status: 429 }, ErrorCode.AiProviderError, 'provider_error'],
    ['HTTP 500', { kind: 'status', status: 500 }, ErrorCode.AiProviderError, 'provider_error'],
    ['HTTP 503', { kind: 'status', status: 503 }, ErrorCode.AiProviderError, 'provider_error'],
    ['a body that is not JSON', { kind: 'not-json' }, ErrorCode.AiProviderError, 'provider_error'],
    ['a dropped connection', { kind: 'drop-connection' }, ErrorCode.AiProviderError, 'provider_error'],
    ['no answer at all', { kind: 'hang' }, ErrorCode.AiProviderTimeout, 'timeout'],
    ['headers, then a stalled body', { kind: 'stall-after-headers' }, ErrorCode.AiProviderTimeout, 'timeout'],
  ] as const)('on %s', (_what, behaviour, code, status) => {
    it(`answers 500 ${code} within AI_TIMEOUT_MS + 1 s, charges nothing, releases the hold, logs one row`, async () => {
      const session = await registerUser(testApp.http);
      fake.behave(behaviour);

      const started = Date.now();
      const response = await chat(session.accessToken, { prompt: 'Tell me something' }).expect(500);
      const elapsed = Date.now() - started;

      expect(response.body).toMatchObject({ statusCode: 500, code, requestId: response.headers['x-request-id'] });
      expect(elapsed).toBeLessThan(AI_TIMEOUT_MS + 1000);
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
      expect(await openHolds(session.user.id)).toBe(0);
      expect(await usageOf(session.user.id)).toEqual([
        expect.objectContaining({
          status,
          error_code: code,
          credits_charged: '0',
          hold_id: expect.any(String) as string,
        }),
      ]);
      expect(fake.requests).toHaveLength(1);
    });
  });

  it('answers an upstream 400 (the request was at fault) with 400 and DeepSeek’s words, charging nothing', async () => {
    const session = await registerUser(testApp.http);
    fake.behave({ kind: 'status', status: 400, message: 'Something about this request is wrong.' });

    const response = await chat(session.accessToken, { prompt: 'Tell me something' }).expect(400);

    expect(response.body).toMatchObject({
      statusCode: 400,
      code: ErrorCode.ValidationFailed,
      message: expect.stringContaining('Something about this request is wrong.') as string,
    });
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
    expect(await usageOf(session.user.id)).toEqual([
      expect.objectContaining({
        status: 'provider_error',
        error_code: ErrorCode.ValidationFailed,
        credits_charged: '0',
      }),
    ]);
  });

  it.each([
    ['a missing prompt', {}, 400],
    ['an empty prompt', { prompt: '' }, 400],
    ['a blank prompt', { prompt: '   \n ' }, 400],
    ['a non-string prompt', { prompt: 42 }, 400],
    ['an 8001-character prompt', { prompt: 'x'.repeat(8001) }, 400],
    ['maxTokens 0', { prompt: 'hi', maxTokens: 0 }, 400],
    ['a fractional maxTokens', { prompt: 'hi', maxTokens: 1.5 }, 400],
    ['a string maxTokens', { prompt: 'hi', maxTokens: '100' }, 400],
    ['maxTokens above the model limit', { prompt: 'hi', maxTokens: 8193 }, 400],
    ['an unknown field', { prompt: 'hi', temperature: 2 }, 400],
    ['an unknown model', { prompt: 'hi', model: 'gpt-99' }, 404],
    ['a demo model outside demo mode', { prompt: 'hi', model: 'demo-chat' }, 404],
  ])('refuses %s (%i) without calling the provider or touching credits', async (_what, body, status) => {
    const session = await registerUser(testApp.http);

    const response = await chat(session.accessToken, body).expect(status);

    expect(response.body).toMatchObject({ code: status === 400 ? ErrorCode.ValidationFailed : ErrorCode.NotFound });
    expect(fake.requests).toHaveLength(0);
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
    expect(await usageOf(session.user.id)).toEqual([]);
  });

  it('accepts an 8000-character prompt', async () => {
    const session = await registerUser(testApp.http);
    await chat(session.accessToken, { prompt: 'y'.repeat(8000), maxTokens: 10 }).expect(200);
  });

  it('refuses a disabled model with 404, and serves it again once enabled', async () => {
    const session = await registerUser(testApp.http);
    await owner().query(`UPDATE model_prices SET enabled = false WHERE model = 'deepseek-reasoner'`);
    try {
      await chat(session.accessToken, { prompt: 'hi', model: 'deepseek-reasoner' }).expect(404);
      expect(fake.requests).toHaveLength(0);
    } finally {
      await owner().query(`UPDATE model_prices SET enabled = true WHERE model = 'deepseek-reasoner'`);
    }
    await chat(session.accessToken, { prompt: 'hi', model: 'deepseek-reasoner', maxTokens: 10 }).expect(200);
  });

  it('answers 403 INSUFFICIENT_CREDITS from the quick read, without calling the provider', async () => {
    const session = await registerUser(testApp.http);

    // hold for deepseek-reasoner with 65536 max tokens: 1 + ceil(10 × 2.8/1000 + 65536 × 4.2/1000) = 277 … fits;
    // so ask for a model whose worst case exceeds 1000 credits.
    await insertTestModel(owner(), { id: 'pricey', requestCredits: 1001 });
    const response = await chat(session.accessToken, { prompt: 'hi', model: 'pricey' }).expect(403);

    expect(response.body).toMatchObject({ code: ErrorCode.InsufficientCredits });
    expect(fake.requests).toHaveLength(0);
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
    expect(await usageOf(session.user.id)).toEqual([
      expect.objectContaining({ status: 'insufficient_credits', credits_charged: '0', hold_id: null }),
    ]);
  });

  it('charges exactly 10 of 40 parallel requests whose credits cover 10, and calls the provider at most 10 times', async () => {
    await insertTestModel(owner(), { id: 'flat-100', requestCredits: 100 });
    const session = await registerUser(testApp.http);
    fake.behave({ kind: 'answer', content: 'ok', delayMs: 150 });

    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        chat(session.accessToken, { prompt: 'race', model: 'flat-100' }).then((r) => r.status),
      ),
    );

    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 403 || status === 409)).toBe(true);
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 0, held: 0 });
    expect(fake.requests.length).toBeLessThanOrEqual(10);
    const usage = await usageOf(session.user.id);
    expect(usage.filter((row) => row.status === 'success')).toHaveLength(10);
    expect(usage).toHaveLength(40);
  });

  it('abandons the upstream call and charges nothing when the client disconnects', async () => {
    const session = await registerUser(testApp.http);
    fake.behave({ kind: 'hang' });

    const abandoned = chat(session.accessToken, { prompt: 'I will not wait' }).timeout(300);
    await expect(abandoned).rejects.toThrow(/Timeout/);

    const usage = await pollUntil(
      async () => {
        const rows = await usageOf(session.user.id);
        return rows.length > 0 ? rows : undefined;
      },
      AI_TIMEOUT_MS,
      'the usage row of the abandoned call',
    );
    expect(usage).toEqual([expect.objectContaining({ status: 'client_closed', credits_charged: '0' })]);
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
    // The upstream call was cut too, well before its deadline.
    await pollUntil(() => (fake.closedConnections > 0 ? true : undefined), 1000, 'the upstream connection to close');
  });

  it('authenticates with an API key, records the key on the usage row, and enforces its credit limit', async () => {
    const session = await registerUser(testApp.http);
    const created = await request(testApp.http)
      .post('/api/keys')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ name: 'app', creditLimit: 3 })
      .expect(201);
    const key = (created.body as { key: string; id: string }).key;

    await chat(key, { prompt: 'hi', maxTokens: 10 }).expect(200);
    const refused = await chat(key, { prompt: 'hi', maxTokens: 10 }).expect(403);

    expect(refused.body).toMatchObject({ code: ErrorCode.InsufficientCredits });
    expect(fake.requests).toHaveLength(1);
    const usage = await usageOf(session.user.id);
    expect(usage[0]).toMatchObject({ status: 'success', api_key_id: (created.body as { id: string }).id });
    expect(JSON.stringify(testApp.logLines())).not.toContain(key);
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer without a second provider call or charge', async () => {
      const session = await registerUser(testApp.http);
      const first = await chat(session.accessToken, { prompt: 'once' }).set('Idempotency-Key', 'order-1').expect(200);
      const replay = await chat(session.accessToken, { prompt: 'once' }).set('Idempotency-Key', 'order-1').expect(200);

      expect(replay.body).toEqual(first.body);
      expect(fake.requests).toHaveLength(1);
      const { rows } = await owner().query(
        `SELECT count(*)::int AS n FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'charge'`,
        [session.user.id],
      );
      expect(rows[0]).toEqual({ n: 1 });
    });

    it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body', async () => {
      const session = await registerUser(testApp.http);
      await chat(session.accessToken, { prompt: 'first' }).set('Idempotency-Key', 'k-2').expect(200);

      const response = await chat(session.accessToken, { prompt: 'second' }).set('Idempotency-Key', 'k-2').expect(422);

      expect(response.body).toMatchObject({ code: ErrorCode.IdempotencyKeyReused });
      expect(fake.requests).toHaveLength(1);
    });

    it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request with the key still runs', async () => {
      const session = await registerUser(testApp.http);
      fake.behave({ kind: 'answer', content: 'slow', delayMs: 500 });

      // supertest sends on `then`; start the first request now.
      const first = chat(session.accessToken, { prompt: 'slow one' })
        .set('Idempotency-Key', 'k-3')
        .then((response) => response);
      await pollUntil(() => (fake.requests.length === 1 ? true : undefined), 2000, 'the first call to reach upstream');
      const second = await chat(session.accessToken, { prompt: 'slow one' }).set('Idempotency-Key', 'k-3').expect(409);

      expect(second.body).toMatchObject({ code: ErrorCode.IdempotencyInProgress });
      expect((await first).status).toBe(200);
      expect(fake.requests).toHaveLength(1);
    });

    it('gives the key back after a failure (nothing was charged), so the same key may be retried', async () => {
      const session = await registerUser(testApp.http);
      fake.behave({ kind: 'status', status: 503 });
      await chat(session.accessToken, { prompt: 'retry me' }).set('Idempotency-Key', 'k-4').expect(500);

      fake.behave({ kind: 'answer', content: 'second time lucky' });
      const retried = await chat(session.accessToken, { prompt: 'retry me' }).set('Idempotency-Key', 'k-4').expect(200);

      expect((retried.body as ChatResponse).answer).toBe('second time lucky');
    });

    it('keeps keys apart per user', async () => {
      const alice = await registerUser(testApp.http);
      const bob = await registerUser(testApp.http);
      await chat(alice.accessToken, { prompt: 'mine' }).set('Idempotency-Key', 'shared').expect(200);
      await chat(bob.accessToken, { prompt: 'mine too' }).set('Idempotency-Key', 'shared').expect(200);

      expect(fake.requests).toHaveLength(2);
    });

    it('refuses a malformed key with 400', async () => {
      const session = await registerUser(testApp.http);
      await chat(session.accessToken, { prompt: 'hi' }).set('Idempotency-Key', 'x'.repeat(256)).expect(400);
      expect(fake.requests).toHaveLength(0);
    });
  });

  it('lists the usable models with their prices; demo models are hidden outside demo mode', async () => {
    const session = await registerUser(testApp.http);
    const response = await request(testApp.http)
      .get('/api/ai/models')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(200);
    const models = (response.body as { items: { model: string; inputCreditsPer1k: number }[] }).items;

    expect(models.map((model) => model.model)).toEqual(expect.arrayContaining(['deepseek-chat', 'deepseek-reasoner']));
    expect(models.some((model) => model.model.startsWith('demo-'))).toBe(false);
    expect(models.find((model) => model.model === 'deepseek-chat')).toMatchObject({
      requestCredits: 1,
      inputCreditsPer1k: 2.8,
      outputCreditsPer1k: 4.2,
    });
  });
});
