import OpenAI from 'openai';
import request from 'supertest';
import { type ChatResponse, ErrorCode, HttpHeader } from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { pollUntil } from '#test/support/poll.js';
import { registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { insertTestModel } from '#test/support/test-prices.js';

/**
 * Issue 13's money items: text that PostgreSQL cannot store, idempotent answers that must never be
 * charged twice, streams that break after content reached the client, upstream usage that makes no
 * sense, and a settle that meets a database fault. Each test checks the balance, the rows and the
 * SPEC §3 invariants.
 *
 * Prices of `per-token` keep the arithmetic readable: 1 credit a request, 1 per 1,000 prompt tokens,
 * 1 per output token. With `max_tokens: 100` and a short prompt the hold is 1 + ceil(0.0xx + 100) = 102.
 */
const MODEL = 'per-token';
const MAX_TOKENS = 100;
const HOLD = 102;

/** A prompt whose storable forms differ: NUL, a lone surrogate, and a pair that must stay a pair. */
const AWKWARD_TEXT = 'nul:\u0000 lone:\ud800 pair:\u{1F600} end';

describe('money safety', () => {
  let fake: FakeDeepSeek;
  let testApp: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    fake = await FakeDeepSeek.start();
    testApp = await createTestApp({
      env: { DEEPSEEK_API_KEY: 'sk-fake', DEEPSEEK_BASE_URL: fake.url, AI_TIMEOUT_MS: '3000' },
    });
    baseUrl = await testApp.listen();
    await insertTestModel(owner(), {
      id: MODEL,
      requestCredits: 1,
      inputPer1k: 1,
      outputPer1k: 1000,
      maxOutputTokens: 1000,
    });
    // Fault injection for the settle tests: while `test_fault_budget` has budget left, an insert of a
    // charged or successful usage row raises the configured SQLSTATE — inside settle_hold_logged, so
    // the whole settle transaction rolls back, as when the database fails mid-commit. A sequence,
    // not a counter row, because a counter's decrement would roll back with the failed transaction.
    await owner().query(`
      CREATE TABLE test_fault (sql_state text NOT NULL, fail_first integer NOT NULL);
      CREATE SEQUENCE test_fault_calls;
      CREATE FUNCTION test_fail_usage_insert() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE
        v_fault test_fault;
      BEGIN
        SELECT * INTO v_fault FROM test_fault LIMIT 1;
        IF FOUND AND (NEW.status = 'success' OR NEW.credits_charged > 0)
           AND nextval('test_fault_calls') <= v_fault.fail_first THEN
          RAISE EXCEPTION 'injected fault' USING ERRCODE = v_fault.sql_state;
        END IF;
        RETURN NEW;
      END
      $$;
      CREATE TRIGGER usage_logs_injected_fault BEFORE INSERT ON usage_logs
        FOR EACH ROW EXECUTE FUNCTION test_fail_usage_insert();
    `);
  });

  afterEach(async () => {
    fake.reset();
    await clearFault();
    await expectCreditInvariants(owner());
  });

  afterAll(async () => {
    await testApp.close();
    await fake.stop();
  });

  const owner = () => testApp.database.pool();

  async function injectFault(sqlState: string, failFirst: number): Promise<void> {
    await owner().query('INSERT INTO test_fault (sql_state, fail_first) VALUES ($1::text, $2::integer)', [
      sqlState,
      failFirst,
    ]);
    await owner().query(`SELECT setval('test_fault_calls', 1, false)`);
  }

  async function clearFault(): Promise<void> {
    await owner().query('DELETE FROM test_fault');
  }

  async function newSession() {
    const session = await registerUser(testApp.http);
    return {
      session,
      client: new OpenAI({ apiKey: session.accessToken, baseURL: `${baseUrl}/v1`, maxRetries: 0 }),
    };
  }

  async function usageOf(userId: string) {
    const { rows } = await owner().query<{
      status: string;
      error_code: string | null;
      credits_charged: string;
      prompt_preview: string;
    }>(
      `SELECT status, error_code, credits_charged, prompt_preview FROM usage_logs
        WHERE user_id = $1::uuid ORDER BY created_at`,
      [userId],
    );
    return rows;
  }

  /** Reads a whole SDK stream: the text that arrived, and the error that ended it, if one did. */
  async function readStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
    let text = '';
    try {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return { text, error: undefined };
    } catch (error) {
      return { text, error: error as Error };
    }
  }

  /** A streamed chat of `MODEL` through the SDK, read to its end. */
  async function streamChat(client: OpenAI, content = 'go', idempotencyKey?: string) {
    const stream = await client.chat.completions.create(
      { model: MODEL, max_completion_tokens: MAX_TOKENS, messages: [{ role: 'user', content }], stream: true },
      idempotencyKey === undefined ? {} : { headers: { [HttpHeader.IdempotencyKey]: idempotencyKey } },
    );
    return readStream(stream);
  }

  describe('text PostgreSQL cannot store as it is (NUL, lone surrogates)', () => {
    it('a streamed answer to such a prompt is charged and logged', async () => {
      const { client, session } = await newSession();
      fake.behave({ kind: 'answer', content: 'Streamed reply.', usage: { promptTokens: 20, completionTokens: 5 } });

      const { text, error } = await streamChat(client, AWKWARD_TEXT);

      expect(error).toBeUndefined();
      expect(text).toBe('Streamed reply.');
      // The prompt went upstream exactly as sent.
      expect(fake.requests[0]?.body.messages?.[0]?.content).toBe(AWKWARD_TEXT);
      // 1 + ceil(20/1000 + 5) = 7
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 993, held: 0 });
      const [row] = await usageOf(session.user.id);
      expect(row).toMatchObject({ status: 'success', credits_charged: '7' });
      // Only the preview is made storable: NUL and the lone surrogate become U+FFFD, the pair stays.
      expect(row?.prompt_preview).toBe('nul:\uFFFD lone:\uFFFD pair:\u{1F600} end');
    });

    it('a non-streamed answer (/v1 and /api/ai/chat) to such a prompt is charged and logged', async () => {
      const { client, session } = await newSession();
      fake.behave({ kind: 'answer', content: 'Reply.', usage: { promptTokens: 20, completionTokens: 5 } });

      const completion = await client.chat.completions.create({
        model: MODEL,
        max_completion_tokens: MAX_TOKENS,
        messages: [{ role: 'user', content: AWKWARD_TEXT }],
      });
      const chat = await request(testApp.http)
        .post('/api/ai/chat')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ prompt: AWKWARD_TEXT, model: MODEL, maxTokens: MAX_TOKENS })
        .expect(200);

      expect(completion.choices[0]?.message.content).toBe('Reply.');
      expect((chat.body as ChatResponse).answer).toBe('Reply.');
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 986, held: 0 });
      expect((await usageOf(session.user.id)).map((row) => row.credits_charged)).toEqual(['7', '7']);
    });
  });

  describe('one Idempotency-Key, one charge', () => {
    it('an answer holding NUL and a lone surrogate is stored, replayed byte for byte, and charged once', async () => {
      const { session } = await newSession();
      const answer = `an answer with ${AWKWARD_TEXT}`;
      fake.behave({ kind: 'answer', content: answer, usage: { promptTokens: 10, completionTokens: 1 } });
      const send = () =>
        request(testApp.http)
          .post('/api/ai/chat')
          .set('Authorization', `Bearer ${session.accessToken}`)
          .set(HttpHeader.IdempotencyKey, 'awkward-answer-1')
          .send({ prompt: 'say something awkward', model: MODEL, maxTokens: MAX_TOKENS });

      const first = await send().expect(200);
      const replay = await send().expect(200);
      const again = await send().expect(200);

      expect((first.body as ChatResponse).answer).toBe(answer);
      expect(replay.body).toEqual(first.body);
      expect(again.body).toEqual(first.body);
      expect(fake.requests).toHaveLength(1);
      // 1 + ceil(10/1000 + 1) = 3, once.
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 997, held: 0 });
    });

    it('a streamed answer with the same text is replayed as it was and charged once', async () => {
      const { client, session } = await newSession();
      const answer = `streamed ${AWKWARD_TEXT}`;
      fake.behave({ kind: 'answer', content: answer, usage: { promptTokens: 10, completionTokens: 1 } });
      const first = await streamChat(client, 'go', 'awkward-stream-1');
      const replay = await streamChat(client, 'go', 'awkward-stream-1');

      expect(first).toEqual({ text: answer, error: undefined });
      expect(replay).toEqual({ text: answer, error: undefined });
      expect(fake.requests).toHaveLength(1);
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 997, held: 0 });
    });
  });

  describe('a stream that breaks after content reached the client is charged for the delivered part', () => {
    it.each(['content_filter', 'insufficient_system_resource'])('finish_reason %s', async (finishReason) => {
      const { client, session } = await newSession();
      // No usage reported with the abnormal finish: the delivered bytes are counted as tokens.
      fake.behave({ kind: 'answer', content: 'Half of it', finishReason, usage: null });

      const { text, error } = await streamChat(client);

      expect(text).toBe('Half of it');
      expect(error?.message).toMatch(`stopped with "${finishReason}"; you were charged 12 credits`);
      // Prompt bound 2 + 8 = 10 tokens, 10 bytes delivered: 1 + ceil(10/1000 + 10) = 12.
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 988, held: 0 });
      expect(await usageOf(session.user.id)).toEqual([
        expect.objectContaining({ status: 'provider_error', error_code: 'AI_PROVIDER_ERROR', credits_charged: '12' }),
      ]);
    });

    it('the upstream drops the connection mid-answer', async () => {
      const { client, session } = await newSession();
      fake.behave({ kind: 'stream-then-drop', content: 'Half of it' });

      const { text, error } = await streamChat(client);

      expect(text).toBe('Half of it');
      expect(error?.message).toMatch(/charged 12 credits/);
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 988, held: 0 });
      expect(await usageOf(session.user.id)).toEqual([
        expect.objectContaining({ status: 'provider_error', credits_charged: '12' }),
      ]);
    });

    it('a cut stream is never charged above its hold', async () => {
      const { client, session } = await newSession();
      const long = 'x'.repeat(500);
      fake.behave({ kind: 'answer', content: long, finishReason: 'content_filter', usage: null, chunkChars: 100 });

      const { text } = await streamChat(client);

      expect(text).toBe(long);
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000 - HOLD, held: 0 });
    });
  });

  describe('upstream usage that makes no sense is treated as none reported', () => {
    it.each([
      ['negative', { prompt_tokens: -5, completion_tokens: 3, total_tokens: -2 }],
      ['fractional', { prompt_tokens: 10.5, completion_tokens: 3, total_tokens: 13.5 }],
      ['absurdly large', { prompt_tokens: 1e12, completion_tokens: 1e12, total_tokens: 2e12 }],
      ['not numbers', { prompt_tokens: '10', completion_tokens: null, total_tokens: 10 }],
    ])('%s: charged the safe-side estimate, the hold closed, logged once', async (_name, rawUsage) => {
      const { session } = await newSession();
      const logsBefore = testApp.logLines().length;
      fake.behave({ kind: 'answer', content: 'Four', rawUsage });

      const response = await request(testApp.http)
        .post('/api/ai/chat')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ prompt: 'go', model: MODEL, maxTokens: MAX_TOKENS })
        .expect(200);

      // Prompt bound 10, 4 bytes of answer: 1 + ceil(10/1000 + 4) = 6.
      expect(response.body).toMatchObject({ creditsCharged: 6, usage: { promptTokens: 10, completionTokens: 4 } });
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 994, held: 0 });
      const warnings = testApp
        .logLines()
        .slice(logsBefore)
        .filter((line) => line.includes('reported usage that makes no sense'));
      expect(warnings).toHaveLength(1);
    });
  });

  it('usage that reports no output for an answer with output is treated as none reported', async () => {
    const { session } = await newSession();
    fake.behave({
      kind: 'answer',
      content: 'Four',
      rawUsage: { prompt_tokens: 10, completion_tokens: 0, total_tokens: 10 },
    });

    const response = await request(testApp.http)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ prompt: 'go', model: MODEL, maxTokens: MAX_TOKENS })
      .expect(200);

    // Not 1 credit (the request fee alone): prompt bound 10, 4 bytes of answer → 1 + ceil(10/1000 + 4) = 6.
    expect(response.body).toMatchObject({ creditsCharged: 6 });
  });

  describe('a settle that meets a database fault', () => {
    it('a transient error (serialization failure) is retried: answered and charged once', async () => {
      const { session } = await newSession();
      fake.behave({ kind: 'answer', content: 'Reply.', usage: { promptTokens: 10, completionTokens: 5 } });
      await injectFault('40001', 2);

      const response = await request(testApp.http)
        .post('/api/ai/chat')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ prompt: 'go', model: MODEL, maxTokens: MAX_TOKENS })
        .expect(200);

      expect(response.body).toMatchObject({ answer: 'Reply.', creditsCharged: 7 });
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 993, held: 0 });
      expect(await usageOf(session.user.id)).toEqual([expect.objectContaining({ status: 'success' })]);
    });

    it('a lasting error on a non-streamed answer: the answer is withheld, nothing charged, the hold given back', async () => {
      const { session } = await newSession();
      fake.behave({ kind: 'answer', content: 'Withheld reply.', usage: { promptTokens: 10, completionTokens: 5 } });
      await injectFault('40001', 100);

      const response = await request(testApp.http)
        .post('/api/ai/chat')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ prompt: 'go', model: MODEL, maxTokens: MAX_TOKENS });

      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ code: ErrorCode.ServiceUnavailable });
      expect(JSON.stringify(response.body)).not.toContain('Withheld reply.');
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
      expect(await usageOf(session.user.id)).toEqual([
        expect.objectContaining({ status: 'provider_error', error_code: ErrorCode.ServiceUnavailable }),
      ]);
    });

    it('a lasting error after a stream was delivered: charged in the background once the database recovers', async () => {
      const { client, session } = await newSession();
      fake.behave({ kind: 'answer', content: 'Delivered reply.', usage: { promptTokens: 10, completionTokens: 5 } });
      await injectFault('40001', 1000);

      const { text, error } = await streamChat(client, 'go', 'late-settle-1');
      expect(text).toBe('Delivered reply.');
      expect(error?.message).toMatch(/charge could not be recorded yet/);
      // Still held while the charge is pending, and the key stays taken: a retry cannot charge again.
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: HOLD });
      const retry = await request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .set(HttpHeader.IdempotencyKey, 'late-settle-1')
        .send({ model: MODEL, max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: 'go' }], stream: true });
      expect(retry.status).toBe(409);

      await clearFault();
      const charged = await pollUntil(
        async () => {
          const account = await accountOf(owner(), session.user.id);
          return account.held === 0 ? account : undefined;
        },
        10_000,
        'the late settle',
      );
      expect(charged).toEqual({ balance: 993, held: 0 });
      expect(await usageOf(session.user.id)).toEqual([
        expect.objectContaining({ status: 'success', credits_charged: '7' }),
      ]);
      // Now the key replays the charged answer.
      const replay = await streamChat(client, 'go', 'late-settle-1');
      expect(replay).toEqual({ text: 'Delivered reply.', error: undefined });
      expect(fake.requests).toHaveLength(1);
    });
  });
});
