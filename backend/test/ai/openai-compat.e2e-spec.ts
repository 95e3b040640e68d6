import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import request from 'supertest';
import { ErrorCode } from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { pollUntil } from '#test/support/poll.js';
import { registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { insertTestModel, useFlatTestPrices } from '#test/support/test-prices.js';

const AI_TIMEOUT_MS = 1500;

/** The official SDK against CreditGate, exactly as an app switching over would use it. */
describe('OpenAI-compatible /v1 with the official openai SDK', () => {
  let fake: FakeDeepSeek;
  let testApp: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    fake = await FakeDeepSeek.start();
    testApp = await createTestApp({
      env: { DEEPSEEK_API_KEY: 'sk-fake', DEEPSEEK_BASE_URL: fake.url, AI_TIMEOUT_MS: String(AI_TIMEOUT_MS) },
    });
    baseUrl = await testApp.listen();
    await useFlatTestPrices(testApp.database.pool());
    await insertTestModel(testApp.database.pool(), { id: 'flat-200', requestCredits: 200 });
  });

  afterEach(async () => {
    fake.reset();
    await expectCreditInvariants(testApp.database.pool());
  });

  afterAll(async () => {
    await testApp.close();
    await fake.stop();
  });

  const owner = () => testApp.database.pool();

  /** A new user with an API key, and an SDK client using it. */
  async function newClient(keyOptions: { creditLimit?: number } = {}) {
    const session = await registerUser(testApp.http);
    const created = await request(testApp.http)
      .post('/api/keys')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ name: 'sdk', ...keyOptions })
      .expect(201);
    const { key, id } = created.body as { key: string; id: string };
    return {
      session,
      key,
      keyId: id,
      client: new OpenAI({ apiKey: key, baseURL: `${baseUrl}/v1`, maxRetries: 0 }),
    };
  }

  async function usageOf(userId: string) {
    const { rows } = await owner().query<{ status: string; credits_charged: string; endpoint: string }>(
      'SELECT status, credits_charged, endpoint FROM usage_logs WHERE user_id = $1::uuid ORDER BY created_at',
      [userId],
    );
    return rows;
  }

  it('models.list() lists the usable models', async () => {
    const { client } = await newClient();

    const models = await client.models.list();

    expect(models.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['deepseek-chat', 'deepseek-reasoner']),
    );
    expect(models.data[0]).toMatchObject({ object: 'model', owned_by: 'deepseek' });
  });

  it('creates a non-streamed completion, charged by the price formula on the upstream usage', async () => {
    const { client, session } = await newClient();
    fake.behave({ kind: 'answer', content: 'Bonjour.', usage: { promptTokens: 2000, completionTokens: 1000 } });

    const completion = await client.chat.completions.create({
      model: 'deepseek-chat',
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Say hello ' },
            { type: 'text', text: 'in French' },
          ],
        },
      ],
      max_completion_tokens: 50,
      temperature: 0.2,
    });

    expect(completion.choices[0]?.message.content).toBe('Bonjour.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    // DeepSeek's usage object, passed on whole.
    expect(completion.usage).toEqual({
      prompt_tokens: 2000,
      completion_tokens: 1000,
      total_tokens: 3000,
      prompt_cache_hit_tokens: 0,
      prompt_cache_miss_tokens: 2000,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    // hold = 1 + ceil((9 + 8 + 19 + 8) × 2.8/1000 + 50 × 4.2/1000) = 2; the formula on usage would be
    // 1 + ceil(5.6 + 4.2) = 11, so the charge is the hold.
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 998, held: 0 });
    expect(fake.requests[0]?.body).toEqual({
      model: 'deepseek-flash',
      // The messages and the client's fields as it sent them; the alias's fixed thinking setting.
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Say hello ' },
            { type: 'text', text: 'in French' },
          ],
        },
      ],
      temperature: 0.2,
      thinking: { type: 'disabled' },
      // CreditGate sends DeepSeek's field, whichever the client used.
      max_tokens: 50,
      stream: false,
    });
  });

  it('streams chunks before upstream has finished, asks upstream for usage, and charges the formula on it', async () => {
    const { client, session } = await newClient();
    const content = 'The quick brown fox jumps over the lazy dog, again and again and again.';
    fake.behave({ kind: 'answer', content, delayMs: 60, usage: { promptTokens: 300, completionTokens: 700 } });

    const stream = await client.chat.completions.create({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'Tell me about the fox' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let firstContentAt: number | undefined;
    let received = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content;
      if (piece) {
        firstContentAt ??= Date.now();
        received += piece;
      }
      usage = chunk.usage ?? usage;
    }

    expect(received).toBe(content);
    const upstreamFinishedAt = fake.finishedAt[0] ?? 0;
    // Nine more pieces, 60 ms apart, were still to come upstream when the first reached the client.
    expect(upstreamFinishedAt - (firstContentAt ?? Infinity)).toBeGreaterThan(300);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(usage).toMatchObject({ prompt_tokens: 300, completion_tokens: 700, total_tokens: 1000 });
    // 1 + ceil(300 × 2.8/1000 + 700 × 4.2/1000) = 1 + ceil(0.84 + 2.94) = 5
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 995, held: 0 });
    expect(await usageOf(session.user.id)).toEqual([{ status: 'success', credits_charged: '5', endpoint: 'openai' }]);
  });

  it('does not send usage to a client that did not ask for it, but still charges it', async () => {
    const { client, session } = await newClient();
    fake.behave({ kind: 'answer', content: 'short', usage: { promptTokens: 10, completionTokens: 10 } });

    const stream = await client.chat.completions.create({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 998, held: 0 });
  });

  describe.each([
    ['empty', { kind: 'answer', content: '' }, ErrorCode.AiEmptyResponse],
    ['failed (503)', { kind: 'status', status: 503 }, ErrorCode.AiProviderError],
    ['timed out', { kind: 'hang' }, ErrorCode.AiProviderTimeout],
  ] as const)('an upstream that %s', (_what, behaviour, code) => {
    it.each([false, true])('is an SDK error with status 500 and no charge (stream: %p)', async (stream) => {
      const { client, session } = await newClient();
      fake.behave(behaviour);

      const call = client.chat.completions.create({
        model: 'deepseek-chat',
        messages: [{ role: 'user', content: 'fail please' }],
        stream,
      });

      await expect(call).rejects.toMatchObject({ status: 500, code });
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
      expect(await usageOf(session.user.id)).toEqual([expect.objectContaining({ credits_charged: '0' })]);
    });
  });

  it('ends a stream that stalls mid-way with an error within AI_TIMEOUT_MS + 1 s, and charges the delivered part', async () => {
    const { client, session } = await newClient();
    fake.behave({ kind: 'stream-then-stall', content: 'Half an answ' });

    const started = Date.now();
    const stream = await client.chat.completions.create({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'go' }],
      stream: true,
    });
    let received = '';
    await expect(
      (async () => {
        for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? '';
      })(),
    ).rejects.toThrow(/did not answer within .*charged 2 credits for the part of the answer you received/);

    expect(received).toBe('Half an answ');
    expect(Date.now() - started).toBeLessThan(AI_TIMEOUT_MS + 1000);
    // Prompt bound 2 + 8 tokens, 12 bytes delivered: 1 + ceil(10 × 2.8/1000 + 12 × 4.2/1000) = 2.
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 998, held: 0 });
    expect(await usageOf(session.user.id)).toEqual([{ status: 'timeout', credits_charged: '2', endpoint: 'openai' }]);
  });

  it('charges what was delivered when the client aborts mid-stream, settles the hold, logs one row', async () => {
    const { client, session } = await newClient();
    fake.behave({ kind: 'answer', content: 'a'.repeat(400), delayMs: 40 });

    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      {
        model: 'deepseek-chat',
        messages: [{ role: 'user', content: 'long please' }],
        stream: true,
        max_completion_tokens: 1000,
      },
      { signal: controller.signal },
    );
    let received = '';
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? '';
      if (received.length >= 16) {
        // The SDK ends the iteration quietly on abort.
        controller.abort();
        break;
      }
    }
    expect(received.length).toBeLessThan(400);

    const [row] = await pollUntil(
      async () => {
        const rows = await usageOf(session.user.id);
        return rows.length > 0 ? rows : undefined;
      },
      AI_TIMEOUT_MS + 1000,
      'the usage row of the aborted stream',
    );
    // Delivered ≥ 16 bytes of answer, counted as tokens, plus the prompt's bound (11 + 8):
    // 1 + ceil(19 × 2.8/1000 + delivered × 4.2/1000) = 2 for anything under ~224 bytes.
    expect(row).toEqual({ status: 'client_closed', credits_charged: '2', endpoint: 'openai' });
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 998, held: 0 });
    await pollUntil(() => (fake.closedConnections > 0 ? true : undefined), 2000, 'the upstream stream to be cut');
  });

  it('counts delivered tokens on the safe side when upstream sends no usage chunk', async () => {
    const { client, session } = await newClient();
    fake.behave({ kind: 'answer', content: 'b'.repeat(500), usage: null });

    const stream = await client.chat.completions.create({
      model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'no usage' }],
      stream: true,
      max_completion_tokens: 1000,
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');

    // prompt bound 8 + 8, 500 bytes as tokens: 1 + ceil(16 × 2.8/1000 + 500 × 4.2/1000) = 1 + ceil(2.1448) = 4
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 996, held: 0 });
  });

  it('refuses a revoked key with 401 in OpenAI’s error shape', async () => {
    const { client, session, keyId } = await newClient();
    await request(testApp.http)
      .delete(`/api/keys/${keyId}`)
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(204);

    await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const raw = await request(testApp.http)
      .get('/v1/models')
      .set('Authorization', `Bearer ${(await newClient()).key}x`);
    expect(raw.status).toBe(401);
    expect(raw.body).toEqual({
      error: {
        message: expect.any(String) as string,
        type: 'authentication_error',
        code: ErrorCode.Unauthenticated,
        param: null,
        request_id: raw.headers['x-request-id'],
      },
    });
  });

  it('refuses with 403 once the key’s credit limit is reached', async () => {
    const { client } = await newClient({ creditLimit: 250 });
    await client.chat.completions.create({ model: 'flat-200', messages: [{ role: 'user', content: 'one' }] });

    const refused = client.chat.completions.create({ model: 'flat-200', messages: [{ role: 'user', content: 'two' }] });

    await expect(refused).rejects.toMatchObject({ status: 403, code: ErrorCode.InsufficientCredits });
    expect(fake.requests).toHaveLength(1);
  });

  it('charges exactly 5 of 20 parallel streams from a user whose credits cover 5', async () => {
    const { client, session } = await newClient();
    fake.behave({ kind: 'answer', content: 'parallel answer', delayMs: 30 });

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, async () => {
        const stream = await client.chat.completions.create({
          model: 'flat-200',
          messages: [{ role: 'user', content: 'race' }],
          stream: true,
        });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        return text;
      }),
    );

    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    expect(fulfilled).toHaveLength(5);
    expect(fulfilled.every((result) => result.value === 'parallel answer')).toBe(true);
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(rejected.every((result) => [403, 409].includes((result.reason as { status: number }).status))).toBe(true);
    expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 0, held: 0 });
    expect(fake.requests.length).toBeLessThanOrEqual(5);
  });

  it('answers bad requests with 400 in OpenAI’s error shape, without calling upstream', async () => {
    const { key } = await newClient();
    for (const body of [
      { model: 'deepseek-chat' },
      { model: 'deepseek-chat', messages: [] },
      { model: 'deepseek-chat', messages: [{ role: 'tool', content: 'x' }] },
      { model: 'deepseek-chat', messages: [{ role: 'user', content: '  ' }] },
      { model: 'deepseek-chat', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] },
      { model: 'deepseek-chat', messages: [{ role: 'user', content: 'x' }], temperature: 3 },
      { model: 'deepseek-chat', messages: [{ role: 'user', content: 'x' }], logit_bias: {} },
    ]) {
      const response = await request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${key}`)
        .send(body);
      expect({
        body,
        status: response.status,
        type: (response.body as { error?: { type: string } }).error?.type,
      }).toEqual({
        body,
        status: 400,
        type: 'invalid_request_error',
      });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('honours Idempotency-Key: a replay answers the same completion without a second call or charge', async () => {
    const { client, session } = await newClient();
    const params = { model: 'deepseek-chat', messages: [{ role: 'user' as const, content: 'once only' }] };

    const first = await client.chat.completions.create(params, { headers: { 'Idempotency-Key': 'v1-once' } });
    const again = await client.chat.completions.create(params, { headers: { 'Idempotency-Key': 'v1-once' } });

    expect(again.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    expect(again.id).toBe(first.id);
    expect(fake.requests).toHaveLength(1);
    expect(await usageOf(session.user.id)).toHaveLength(1);
  });

  it('sends SSE comment heartbeats while upstream pauses between chunks', async () => {
    const { key } = await newClient();
    // Two chunks 700 ms apart; the heartbeat comes after 500 ms of silence (AI_TIMEOUT_MS / 3).
    fake.behave({ kind: 'answer', content: 'tick-tock', chunkChars: 5, delayMs: 700 });

    const response = await request(testApp.http)
      .post('/v1/chat/completions')
      .set('Authorization', `Bearer ${key}`)
      .send({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'slowly' }], stream: true })
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          done(null, text);
        });
      });

    expect(response.status).toBe(200);
    expect(response.body as string).toContain(': keep-alive\n\n');
    expect(response.body as string).toContain('data: [DONE]');
  });

  it('speaks raw SSE as `curl -N` sees it', async () => {
    const { key } = await newClient();
    fake.behave({ kind: 'answer', content: 'raw lines', usage: { promptTokens: 5, completionTokens: 2 } });

    const { stdout } = await promisify(execFile)('curl', [
      '-N',
      '-s',
      '-H',
      `Authorization: Bearer ${key}`,
      '-H',
      'Content-Type: application/json',
      '-d',
      JSON.stringify({
        model: 'deepseek-chat',
        messages: [{ role: 'user', content: 'hi' }],
        // The older field, as many existing clients still send it.
        max_tokens: 20,
        stream: true,
        stream_options: { include_usage: true },
      }),
      `${baseUrl}/v1/chat/completions`,
    ]);

    const events = stdout.split('\n\n').filter((event) => event.trim() !== '');
    expect(events.every((event) => event.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const payloads = events.slice(0, -1).map(
      (event) =>
        JSON.parse(event.slice('data: '.length)) as {
          object: string;
          choices: { delta: { content?: string } }[];
          usage?: unknown;
        },
    );
    expect(payloads.every((payload) => payload.object === 'chat.completion.chunk')).toBe(true);
    expect(payloads.map((payload) => payload.choices[0]?.delta.content ?? '').join('')).toBe('raw lines');
    expect(payloads.at(-1)?.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    expect(fake.requests[0]?.body.max_tokens).toBe(20);
  });
});

/** A separate app (one per process at a time: passport keeps its strategies process-wide). */
describe('a stream paused longer than STREAM_IDLE_TIMEOUT_MS', () => {
  it('is cut by the idle limit, well before the overall deadline, and charges the delivered part', async () => {
    const fake = await FakeDeepSeek.start();
    const testApp = await createTestApp({
      env: {
        DEEPSEEK_API_KEY: 'sk-fake',
        DEEPSEEK_BASE_URL: fake.url,
        AI_TIMEOUT_MS: '20000',
        STREAM_IDLE_TIMEOUT_MS: '400',
      },
    });
    await useFlatTestPrices(testApp.database.pool());
    try {
      const session = await registerUser(testApp.http);
      fake.behave({ kind: 'stream-then-stall', content: 'Then silence' });

      const started = Date.now();
      const response = await request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'go' }], stream: true });

      expect(Date.now() - started).toBeLessThan(2000);
      // What arrived before the pause was relayed, then the stream ended with an error event.
      expect(response.text).toContain('"delta":{"content":"Then sil"}');
      expect(response.text).toContain('sent nothing for 400 ms');
      const { rows } = await testApp.database
        .pool()
        .query('SELECT status, credits_charged FROM usage_logs WHERE user_id = $1::uuid', [session.user.id]);
      expect(rows).toEqual([{ status: 'timeout', credits_charged: '2' }]);
      expect(await accountOf(testApp.database.pool(), session.user.id)).toEqual({ balance: 998, held: 0 });
    } finally {
      await testApp.close();
      await fake.stop();
    }
  });
});
