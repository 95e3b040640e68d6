import OpenAI from 'openai';
import request from 'supertest';
import { type ChatResponse, ErrorCode, type PeakHours } from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** Every hour of every day at peak, or none: the calendar set through the admin API. */
const ALL_PEAK: PeakHours = {
  timeZone: 'UTC',
  weekdays: [1, 2, 3, 4, 5, 6, 7],
  ranges: [{ from: '00:00', to: '24:00' }],
  holidays: [],
};
const ALL_OFF_PEAK: PeakHours = { ...ALL_PEAK, ranges: [] };

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'City name', 'x-unknown-extension': { keep: [1, 2] } } },
      required: ['city'],
      additionalProperties: false,
    },
  },
} as const;

/**
 * Today's DeepSeek (issue 14) through CreditGate, with the official `openai` SDK as the client and a
 * fake that behaves like today's API, refusals included: current models and retired aliases, thinking,
 * tools, JSON mode, images, cache-hit and off-peak prices, keep-alives. SPEC §3 invariants after each.
 */
describe("today's DeepSeek through /v1 and /api/ai/chat", () => {
  let fake: FakeDeepSeek;
  let testApp: TestApp;
  let baseUrl: string;
  let adminToken: string;

  beforeAll(async () => {
    fake = await FakeDeepSeek.start();
    testApp = await createTestApp({
      env: { DEEPSEEK_API_KEY: 'sk-fake', DEEPSEEK_BASE_URL: fake.url, AI_TIMEOUT_MS: '5000' },
    });
    baseUrl = await testApp.listen();
    adminToken = (await registerAdmin(testApp.http, testApp.database.pool())).accessToken;
    await setPeakHours(ALL_PEAK);
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

  async function setPeakHours(hours: PeakHours): Promise<void> {
    await request(testApp.http)
      .put('/api/admin/pricing/peak-hours')
      .set('Authorization', `Bearer ${adminToken}`)
      .send(hours)
      .expect(200);
  }

  async function newSession() {
    const session = await registerUser(testApp.http);
    return {
      session,
      client: new OpenAI({ apiKey: session.accessToken, baseURL: `${baseUrl}/v1`, maxRetries: 0 }),
    };
  }

  /** A streamed chat read to its end: the reasoning and content that arrived, and the error that ended it. */
  async function readThinkingStream(
    client: OpenAI,
    params: Omit<OpenAI.ChatCompletionCreateParamsStreaming, 'stream'>,
  ): Promise<{ reasoning: string; content: string; error: Error | undefined }> {
    let reasoning = '';
    let content = '';
    try {
      const stream = await client.chat.completions.create({ ...params, stream: true });
      for await (const chunk of stream) {
        const delta: { content?: string | null; reasoning_content?: string } | undefined = chunk.choices[0]?.delta;
        reasoning += delta?.reasoning_content ?? '';
        content += delta?.content ?? '';
      }
      return { reasoning, content, error: undefined };
    } catch (error) {
      return { reasoning, content, error: error as Error };
    }
  }

  async function usageRows(userId: string) {
    const { rows } = await owner().query<Record<string, unknown>>(
      `SELECT status, credits_charged, prompt_tokens, completion_tokens, cache_hit_tokens, cache_miss_tokens,
              reasoning_tokens, peak, model
         FROM usage_logs WHERE user_id = $1::uuid ORDER BY created_at`,
      [userId],
    );
    return rows;
  }

  describe('models', () => {
    it('a chat that names no model reaches the upstream as deepseek-flash, with thinking left to DeepSeek', async () => {
      const { session } = await newSession();

      const response = await request(testApp.http)
        .post('/api/ai/chat')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ prompt: 'Hello' })
        .expect(200);

      const body = response.body as ChatResponse;
      expect(body.model).toBe('deepseek-flash');
      expect(fake.requests[0]?.body.model).toBe('deepseek-flash');
      expect(fake.requests[0]?.body).not.toHaveProperty('thinking');
      // Thinking is on by default upstream: the reasoning comes back beside the answer.
      expect(body.reasoning).toEqual(expect.any(String));
      // The model's default output budget, not the client's.
      expect(fake.requests[0]?.body.max_tokens).toBe(32768);
    });

    it('/v1/models lists deepseek-flash, deepseek-v4-pro and the retired names', async () => {
      const { client } = await newSession();

      const ids = (await client.models.list()).data.map((model) => model.id);

      expect(ids).toEqual(
        expect.arrayContaining(['deepseek-flash', 'deepseek-v4-pro', 'deepseek-chat', 'deepseek-reasoner']),
      );
    });

    it.each([
      ['deepseek-chat', { type: 'disabled' }, false],
      ['deepseek-reasoner', { type: 'enabled' }, true],
    ])('the retired %s keeps working: deepseek-flash with thinking %j', async (model, thinking, reasons) => {
      const { client } = await newSession();

      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Hi' }],
        // A client's own setting does not override the alias's.
        thinking: { type: reasons ? 'disabled' : 'enabled' },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming);

      expect(fake.requests[0]?.body).toMatchObject({ model: 'deepseek-flash', thinking });
      const message = completion.choices[0]?.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
      expect(message.reasoning_content !== undefined).toBe(reasons);
      expect(completion.model).toBe(model);
    });

    it('the fake itself refuses the retired names, as DeepSeek does: only the gateway maps them', async () => {
      const direct = new OpenAI({ apiKey: 'sk-fake', baseURL: fake.url, maxRetries: 0 });
      await expect(
        direct.chat.completions.create({ model: 'deepseek-chat', messages: [{ role: 'user', content: 'x' }] }),
      ).rejects.toMatchObject({ status: 400 });
    });
  });

  describe('the request surface', () => {
    it('forwards every SPEC §5 field exactly as the client sent it, nested schema included', async () => {
      const { session } = await newSession();
      const sent = {
        model: 'deepseek-v4-pro',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }], name: 'alice' },
        ],
        tools: [WEATHER_TOOL],
        tool_choice: 'auto',
        response_format: { type: 'text' },
        thinking: { type: 'disabled' },
        reasoning_effort: 'high',
        frequency_penalty: 0.5,
        presence_penalty: -0.5,
        logprobs: true,
        top_logprobs: 2,
        stop: ['\n\n', 'END'],
        temperature: 0.7,
        top_p: 0.9,
        user: 'end-user-42',
        max_completion_tokens: 64,
        // Accepted for the SDKs' sake and not forwarded.
        n: 1,
        parallel_tool_calls: true,
        seed: 7,
        store: false,
        metadata: { trace: 'abc' },
        service_tier: 'auto',
        stream_options: { include_usage: true },
      };

      await request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send(sent)
        .expect(200);

      const { n, parallel_tool_calls, seed, store, metadata, service_tier, ...forwarded } = sent;
      const { max_completion_tokens, stream_options, ...rest } = forwarded;
      expect(fake.requests[0]?.body).toEqual({ ...rest, max_tokens: 64, stream: false });
    });

    it.each([
      ['n: 3', { n: 3 }],
      ['n: 0', { n: 0 }],
      ['a json_schema response format', { response_format: { type: 'json_schema', json_schema: { name: 'x' } } }],
      ['top_logprobs without logprobs', { top_logprobs: 3 }],
      ['top_logprobs above 20', { logprobs: true, top_logprobs: 21 }],
      ['an unknown thinking type', { thinking: { type: 'auto' } }],
      ['a tool that is not a function', { tools: [{ type: 'retrieval' }] }],
      ['a tool with a bad name', { tools: [{ type: 'function', function: { name: 'has space' } }] }],
      ['an unknown field', { logit_bias: { 1: 2 } }],
      ['a tool message without tool_call_id', { messages: [{ role: 'tool', content: 'x' }] }],
      ['maxTokens above the model maximum', { max_tokens: 393_217 }],
      ['thinking as an array', { thinking: [] }],
      ['response_format as an array', { response_format: [{ type: 'json_object' }] }],
      ['stream_options as an array', { stream: true, stream_options: [] }],
      ['a message with a key named constructor', { messages: [{ role: 'user', content: 'x', constructor: 1 }] }],
      [
        'a message with a key named __proto__',
        { messages: [JSON.parse('{"role":"user","content":"x","__proto__":{"a":1}}')] },
      ],
      ['a top-level __proto__ key', JSON.parse('{"__proto__":{"admin":true}}') as object],
    ])('answers %s with 400, before any upstream call', async (_what, change) => {
      const { session } = await newSession();

      const response = await request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'x' }], ...change });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: ErrorCode.ValidationFailed } });
      expect(fake.requests).toHaveLength(0);
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
    });

    it('an image part reaches deepseek-flash as sent; on deepseek-v4-pro it is 400 before any upstream call', async () => {
      const { client, session } = await newSession();
      const messages: OpenAI.ChatCompletionMessageParam[] = [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ];

      await client.chat.completions.create({ model: 'deepseek-flash', messages });
      expect(fake.requests[0]?.body.messages).toEqual(messages);

      await expect(client.chat.completions.create({ model: 'deepseek-v4-pro', messages })).rejects.toMatchObject({
        status: 400,
      });
      expect(fake.requests).toHaveLength(1);
      expect((await usageRows(session.user.id)).map((row) => row['model'])).toEqual(['deepseek-flash']);
    });

    it('/api/ai/chat takes messages as an alternative to prompt, and refuses both at once', async () => {
      const { session } = await newSession();
      const chat = (body: object) =>
        request(testApp.http).post('/api/ai/chat').set('Authorization', `Bearer ${session.accessToken}`).send(body);

      const answered = await chat({
        model: 'deepseek-chat',
        messages: [
          { role: 'system', content: 'Answer in French.' },
          { role: 'user', content: 'Hello' },
        ],
      }).expect(200);
      expect((answered.body as ChatResponse).answer).toBe('Hello from the fake.');
      expect(fake.requests[0]?.body.messages).toHaveLength(2);

      await chat({ prompt: 'x', messages: [{ role: 'user', content: 'y' }] }).expect(400);
      await chat({}).expect(400);
    });
  });

  describe('tools', () => {
    /** A schema with properties named as JavaScript's own, sent as raw JSON so they stay own keys. */
    const schemaNamed = (names: string[]): string =>
      `{"type":"object","properties":{${names.map((name) => `"${name}":{"type":"string"}`).join(',')}},"required":["size"]}`;
    const bodyWithSchema = (names: string[]): string =>
      `{"model":"deepseek-flash","messages":[{"role":"user","content":"Build it"}],` +
      `"tools":[{"type":"function","function":{"name":"build","parameters":${schemaNamed(names)}}}]}`;

    it('a tool schema naming properties __proto__, constructor and prototype reaches DeepSeek untouched', async () => {
      const { session } = await newSession();
      const names = ['__proto__', 'constructor', 'prototype', 'size'];

      await request(testApp.http)
        .post('/v1/chat/completions')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .set('Content-Type', 'application/json')
        .send(bodyWithSchema(names))
        .expect(200);

      const tools = fake.requests[0]?.body.tools as { function: { parameters: { properties: object } } }[];
      expect(Object.keys(tools[0]?.function.parameters.properties ?? {})).toEqual(names);
    });

    it('one Idempotency-Key with schemas that differ only by such a property is 422, not a replay', async () => {
      const { session } = await newSession();
      const send = (names: string[]) =>
        request(testApp.http)
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${session.accessToken}`)
          .set('Idempotency-Key', 'schema-key')
          .set('Content-Type', 'application/json')
          .send(bodyWithSchema(names));

      await send(['size']).expect(200);
      const second = await send(['size', 'constructor']);

      expect(second.status).toBe(422);
      expect(fake.requests).toHaveLength(1);
    });

    it('a tool round trip: the call is charged, then the tool result is answered', async () => {
      const { client, session } = await newSession();
      fake.behave({
        kind: 'answer',
        content: '',
        toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
        usage: { promptTokens: 100, completionTokens: 20 },
      });

      const first = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [WEATHER_TOOL],
      });

      const choice = first.choices[0];
      expect(choice?.finish_reason).toBe('tool_calls');
      const call = choice?.message.tool_calls?.[0];
      expect(call).toMatchObject({
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      });
      const message = choice?.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
      // A tool-call turn is an answer (SPEC §5): charged. 0.1 × 3.0 + 0.02 × 12.0 = 0.54 → 1 credit at peak.
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 999, held: 0 });

      fake.behave({
        kind: 'answer',
        content: 'It is sunny in Paris.',
        usage: { promptTokens: 150, completionTokens: 10 },
      });
      const second = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          // DeepSeek's thinking mode needs the reasoning of a tool-call turn sent back (the fake refuses otherwise).
          { ...message, reasoning_content: message.reasoning_content } as OpenAI.ChatCompletionAssistantMessageParam,
          { role: 'tool', tool_call_id: call?.id ?? '', content: '{"sky":"sunny"}' },
        ],
        tools: [WEATHER_TOOL],
      });

      expect(second.choices[0]?.message.content).toBe('It is sunny in Paris.');
      expect(fake.requests[1]?.body.messages?.[2]).toEqual({
        role: 'tool',
        tool_call_id: call?.id,
        content: '{"sky":"sunny"}',
      });
      expect(await usageRows(session.user.id)).toEqual([
        expect.objectContaining({ status: 'success', credits_charged: '1' }),
        expect.objectContaining({ status: 'success', credits_charged: '1' }),
      ]);
    });

    it('a streamed tool call arrives as deltas that finalChatCompletion() assembles, and is charged', async () => {
      const { client, session } = await newSession();
      fake.behave({
        kind: 'answer',
        content: '',
        toolCalls: [
          { name: 'get_weather', arguments: '{"city":"Paris"}' },
          { name: 'get_weather', arguments: '{"city":"Lyon"}' },
        ],
        usage: { promptTokens: 1000, completionTokens: 100 },
      });

      const stream = client.chat.completions.stream({
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'Weather in Paris and Lyon?' }],
        tools: [WEATHER_TOOL],
      });
      const final = await stream.finalChatCompletion();

      expect(final.choices[0]?.finish_reason).toBe('tool_calls');
      expect(final.choices[0]?.message.tool_calls?.map((call) => call.function)).toEqual([
        { name: 'get_weather', arguments: '{"city":"Paris"}' },
        { name: 'get_weather', arguments: '{"city":"Lyon"}' },
      ]);
      // 1.0 × 3.0 + 0.1 × 12.0 = 4.2 → 5 credits at peak.
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 995, held: 0 });
    });
  });

  describe('JSON mode and reasoning', () => {
    it('JSON mode passes through; a blank JSON answer is empty and costs nothing', async () => {
      const { client, session } = await newSession();
      fake.behave({ kind: 'answer', content: '{"ok":true}' });
      const json = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'Answer in json: ok?' }],
        response_format: { type: 'json_object' },
      });
      expect(json.choices[0]?.message.content).toBe('{"ok":true}');
      const charged = await accountOf(owner(), session.user.id);

      fake.behave({ kind: 'answer', content: '', blankJson: true });
      await expect(
        client.chat.completions.create({
          model: 'deepseek-flash',
          messages: [{ role: 'user', content: 'Answer in json: ok?' }],
          response_format: { type: 'json_object' },
        }),
      ).rejects.toMatchObject({ status: 500, code: ErrorCode.AiEmptyResponse });
      expect(await accountOf(owner(), session.user.id)).toEqual(charged);
    });

    it('a streamed blank JSON answer costs nothing, and its thinking was never sent', async () => {
      const { client, session } = await newSession();
      fake.behave({ kind: 'answer', content: '', blankJson: true, reasoning: 'A secret worth reading.' });

      const { reasoning, error } = await readThinkingStream(client, {
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'Answer in json: ok?' }],
        response_format: { type: 'json_object' },
      });

      expect(error?.message).toMatch(/nothing; you were not charged/);
      // Sent, it would make blank JSON a way to read the model's thinking for free.
      expect(reasoning).toBe('');
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
    });

    it('in JSON mode the thinking is held back until the answer begins, then sent in full', async () => {
      const { client } = await newSession();
      fake.behave({ kind: 'answer', content: '{"ok":true}', reasoning: 'Think first, then answer.' });

      const { reasoning, content, error } = await readThinkingStream(client, {
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'Answer in json: ok?' }],
        response_format: { type: 'json_object' },
      });

      expect(error).toBeUndefined();
      expect(reasoning).toBe('Think first, then answer.');
      expect(content).toBe('{"ok":true}');
    });

    it('thinking streamed before an empty answer (max_tokens spent on reasoning) is charged as delivered', async () => {
      const { client, session } = await newSession();
      const thought = 'The full answer is 42. '.repeat(20);
      fake.behave({ kind: 'answer', content: '', reasoning: thought, finishReason: 'length', usage: null });

      const { reasoning, error } = await readThinkingStream(client, {
        model: 'deepseek-flash',
        max_completion_tokens: 120,
        messages: [{ role: 'user', content: 'go' }],
      });

      expect(reasoning).toBe(thought);
      expect(error?.message).toMatch(/answered with nothing; you were charged \d+ credits/);
      const [row] = await usageRows(session.user.id);
      expect(row).toMatchObject({ status: 'empty_response' });
      expect(Number(row?.['credits_charged'])).toBeGreaterThan(0);
      // Not streamed, nothing reaches the client: nothing is charged (SPEC §5's empty answer).
      await expect(
        client.chat.completions.create({
          model: 'deepseek-flash',
          max_completion_tokens: 120,
          messages: [{ role: 'user', content: 'go' }],
        }),
      ).rejects.toMatchObject({ status: 500, code: ErrorCode.AiEmptyResponse });
      expect((await usageRows(session.user.id))[1]).toMatchObject({ status: 'empty_response', credits_charged: '0' });
    });

    it('a stream whose connection breaks after its finish is a whole answer, charged once', async () => {
      const { client, session } = await newSession();
      fake.behave({ kind: 'answer', content: 'All of it.', usage: null, dropAfterFinish: true });

      const { content, error } = await readThinkingStream(client, {
        model: 'deepseek-chat',
        messages: [{ role: 'user', content: 'go' }],
      });

      expect(error).toBeUndefined();
      expect(content).toBe('All of it.');
      expect(await usageRows(session.user.id)).toEqual([expect.objectContaining({ status: 'success' })]);
    });

    it('JSON mode without the word "json" is DeepSeek’s 400, passed on as 400 and not charged', async () => {
      const { client, session } = await newSession();

      await expect(
        client.chat.completions.create({
          model: 'deepseek-flash',
          messages: [{ role: 'user', content: 'ok?' }],
          response_format: { type: 'json_object' },
        }),
      ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/json/) as string });
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
    });

    it('reasoning comes back in and out of a stream; reasoning tokens are charged once, as output', async () => {
      const { client, session } = await newSession();
      fake.behave({
        kind: 'answer',
        content: 'Forty-two.',
        reasoning: 'Think, think, think.',
        usage: { promptTokens: 1000, completionTokens: 500, reasoningTokens: 400 },
      });

      const completion = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'The answer?' }],
      });
      const message = completion.choices[0]?.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
      expect(message.reasoning_content).toBe('Think, think, think.');

      const stream = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'The answer?' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let reasoning = '';
      let content = '';
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        const delta: { content?: string | null; reasoning_content?: string } | undefined = chunk.choices[0]?.delta;
        reasoning += delta?.reasoning_content ?? '';
        content += delta?.content ?? '';
        usage = chunk.usage ?? usage;
      }
      expect(reasoning).toBe('Think, think, think.');
      expect(content).toBe('Forty-two.');
      expect(usage).toMatchObject({ completion_tokens: 500, completion_tokens_details: { reasoning_tokens: 400 } });
      // 1.0 × 3.0 + 0.5 × 12.0 = 9 credits each (not 0.9 × 12 more for the reasoning).
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 982, held: 0 });
      expect(await usageRows(session.user.id)).toEqual([
        expect.objectContaining({ credits_charged: '9', completion_tokens: 500, reasoning_tokens: 400 }),
        expect.objectContaining({ credits_charged: '9', completion_tokens: 500, reasoning_tokens: 400 }),
      ]);
    });
  });

  describe('prices by cache hit and by the hour', () => {
    const cachedFollowUp = {
      kind: 'answer' as const,
      content: 'Done.',
      usage: { promptTokens: 10_000, cacheHitTokens: 8_000, completionTokens: 1_500, reasoningTokens: 1_000 },
    };

    it('a cache-hit charge at peak, to the credit: docs/pricing.md’s worked example at peak is 25', async () => {
      const { client, session } = await newSession();
      fake.behave(cachedFollowUp);

      await client.chat.completions.create({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'More?' }] });

      // ceil((8,000 × 0.06 + 2,000 × 3.0 + 1,500 × 12.0) / 1000) = ceil(24.48) = 25
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 975, held: 0 });
      expect(await usageRows(session.user.id)).toEqual([
        expect.objectContaining({
          credits_charged: '25',
          prompt_tokens: 10_000,
          cache_hit_tokens: 8_000,
          cache_miss_tokens: 2_000,
          reasoning_tokens: 1_000,
          peak: true,
        }),
      ]);
    });

    it('the same off-peak costs 13 (50 %), and the price listing says which rates are in force', async () => {
      await setPeakHours(ALL_OFF_PEAK);
      try {
        const { client, session } = await newSession();
        fake.behave(cachedFollowUp);

        await client.chat.completions.create({
          model: 'deepseek-flash',
          messages: [{ role: 'user', content: 'More?' }],
        });

        // ceil(24.48 × 50 / 100) = ceil(12.24) = 13
        expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 987, held: 0 });
        expect(await usageRows(session.user.id)).toEqual([
          expect.objectContaining({ credits_charged: '13', peak: false }),
        ]);
        const models = await request(testApp.http)
          .get('/api/ai/models')
          .set('Authorization', `Bearer ${session.accessToken}`)
          .expect(200);
        expect((models.body as { items: { model: string; peakNow: boolean; offPeakPercent: number }[] }).items).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ model: 'deepseek-flash', peakNow: false, offPeakPercent: 50 }),
          ]),
        );
      } finally {
        await setPeakHours(ALL_PEAK);
      }
    });

    it('the peak calendar is admin data: read back as set, refused when malformed, audited', async () => {
      const read = async () =>
        (
          await request(testApp.http)
            .get('/api/admin/pricing/peak-hours')
            .set('Authorization', `Bearer ${adminToken}`)
            .expect(200)
        ).body as PeakHours;
      expect(await read()).toEqual(ALL_PEAK);

      for (const bad of [
        { ...ALL_PEAK, timeZone: 'Mars/Olympus' },
        { ...ALL_PEAK, weekdays: [0] },
        { ...ALL_PEAK, ranges: [{ from: '12:00', to: '09:00' }] },
        { ...ALL_PEAK, ranges: [{ from: '25:00', to: '26:00' }] },
        { ...ALL_PEAK, holidays: ['2026-02-30'] },
      ]) {
        await request(testApp.http)
          .put('/api/admin/pricing/peak-hours')
          .set('Authorization', `Bearer ${adminToken}`)
          .send(bad)
          .expect(400);
      }
      expect(await read()).toEqual(ALL_PEAK);

      const { session } = await newSession();
      await request(testApp.http)
        .put('/api/admin/pricing/peak-hours')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send(ALL_OFF_PEAK)
        .expect(403);
      const { rows } = await owner().query(
        `SELECT count(*)::int AS changes FROM audit_log WHERE action = 'pricing.peak_hours_changed'`,
      );
      expect(rows[0]).toEqual({ changes: expect.any(Number) as number });
    });
  });

  describe('deadlines that fit thinking models', () => {
    it('waits through keep-alive lines and comments longer than the idle limit in total', async () => {
      const slowApp = await createTestApp({
        env: {
          DEEPSEEK_API_KEY: 'sk-fake',
          DEEPSEEK_BASE_URL: fake.url,
          AI_TIMEOUT_MS: '10000',
          STREAM_IDLE_TIMEOUT_MS: '500',
        },
      });
      try {
        const session = await registerUser(slowApp.http);
        // 6 × 200 ms of keep-alives: 1.2 s before the answer, each gap under the 0.5 s idle limit.
        fake.behave({ kind: 'answer', content: 'Worth the wait.', keepAliveComments: { count: 6, intervalMs: 200 } });
        const plain = await request(slowApp.http)
          .post('/api/ai/chat')
          .set('Authorization', `Bearer ${session.accessToken}`)
          .send({ prompt: 'Slowly' })
          .expect(200);
        expect((plain.body as ChatResponse).answer).toBe('Worth the wait.');

        const streamed = await request(slowApp.http)
          .post('/v1/chat/completions')
          .set('Authorization', `Bearer ${session.accessToken}`)
          .send({ model: 'deepseek-flash', messages: [{ role: 'user', content: 'Slowly' }], stream: true })
          .expect(200);
        expect(streamed.text).toContain('"delta":{"content":"Worth th"}');
        expect(streamed.text).toContain('"finish_reason":"stop"');
      } finally {
        await slowApp.close();
      }
    });

    it('a non-streamed answer whose body goes silent is cut by the idle limit, not the whole-call cap', async () => {
      const slowApp = await createTestApp({
        env: {
          DEEPSEEK_API_KEY: 'sk-fake',
          DEEPSEEK_BASE_URL: fake.url,
          AI_TIMEOUT_MS: '20000',
          STREAM_IDLE_TIMEOUT_MS: '400',
        },
      });
      try {
        const session = await registerUser(slowApp.http);
        fake.behave({ kind: 'stall-after-headers' });
        const started = Date.now();

        const response = await request(slowApp.http)
          .post('/api/ai/chat')
          .set('Authorization', `Bearer ${session.accessToken}`)
          .send({ prompt: 'Hello?' })
          .expect(500);

        expect(Date.now() - started).toBeLessThan(3000);
        expect(response.body).toMatchObject({ code: ErrorCode.AiProviderTimeout });
        expect((response.body as { message: string }).message).toMatch(/sent nothing for 400 ms/);
        expect(await accountOf(slowApp.database.pool(), session.user.id)).toEqual({ balance: 1000, held: 0 });
      } finally {
        await slowApp.close();
      }
    });
  });
});
