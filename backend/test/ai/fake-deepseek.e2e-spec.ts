import OpenAI from 'openai';
import { DEEPSEEK_ERRORS, DEFAULT_REASONING, FakeDeepSeek } from '#test/support/fake-deepseek.js';

/**
 * The fake DeepSeek on its own, driven by the official SDK as the gateway drives it: it must accept
 * and refuse what today's DeepSeek does, or the gateway's tests prove nothing about the real service.
 */
describe('FakeDeepSeek behaves like today’s DeepSeek', () => {
  let fake: FakeDeepSeek;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await FakeDeepSeek.start();
    client = new OpenAI({ apiKey: 'sk-fake', baseURL: fake.url, maxRetries: 0 });
  });

  afterEach(() => {
    fake.reset();
  });

  afterAll(async () => {
    await fake.stop();
  });

  const hello = [{ role: 'user' as const, content: 'Say hello' }];
  const noThinking = { thinking: { type: 'disabled' } };
  const weatherTool = {
    type: 'function' as const,
    function: {
      name: 'get_weather',
      description: 'Weather of a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  };

  /** A chat that must fail: the status and DeepSeek's error envelope it failed with. */
  async function refusalOf(body: Record<string, unknown>): Promise<{ status: number; error: unknown }> {
    try {
      await client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    } catch (error) {
      if (error instanceof OpenAI.APIError) return { status: Number(error.status), error: error.error as unknown };
      throw error;
    }
    throw new Error('the fake answered a request DeepSeek refuses');
  }

  const deepSeekError = (message: string) => ({
    status: 400,
    error: { message, type: 'invalid_request_error', param: null, code: 'invalid_request_error' },
  });

  describe('models', () => {
    it.each(['deepseek-flash', 'deepseek-v4-pro', 'deepseek-v4-flash'])('answers %s', async (model) => {
      const completion = await client.chat.completions.create({ model, messages: hello });

      expect(completion.choices[0]?.message.content).toBe('Hello from the fake.');
      expect(completion.model).toBe(model);
    });

    it.each(['deepseek-chat', 'deepseek-reasoner', 'gpt-4o'])(
      'refuses %s with 400 naming the supported ones',
      async (model) => {
        expect(await refusalOf({ model, messages: hello })).toEqual(
          deepSeekError(`The supported API model names are deepseek-flash, deepseek-v4-pro, but you passed ${model}.`),
        );
      },
    );

    it('accepts the models it was started with, and only those', async () => {
      const custom = await FakeDeepSeek.start({ models: ['house-model'] });
      try {
        const customClient = new OpenAI({ apiKey: 'sk-fake', baseURL: custom.url, maxRetries: 0 });
        const completion = await customClient.chat.completions.create({ model: 'house-model', messages: hello });
        expect(completion.choices[0]?.message.content).toBe('Hello from the fake.');
        await expect(
          customClient.chat.completions.create({ model: 'deepseek-flash', messages: hello }),
        ).rejects.toMatchObject({
          status: 400,
          error: { message: 'The supported API model names are house-model, but you passed deepseek-flash.' },
        });
      } finally {
        await custom.stop();
      }
    });

    it('lists today’s models, not the legacy alias', async () => {
      const models = await client.models.list();

      expect(models.data.map((model) => model.id)).toEqual(['deepseek-flash', 'deepseek-v4-pro']);
    });
  });

  describe('refusals', () => {
    const toolTurn = {
      role: 'assistant',
      content: '',
      tool_calls: [{ id: 'call_00_x', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
    };
    const toolResult = { role: 'tool', tool_call_id: 'call_00_x', content: 'sunny' };

    it.each<[string, Record<string, unknown>, string]>([
      [
        'JSON mode without the word json',
        { messages: hello, response_format: { type: 'json_object' } },
        DEEPSEEK_ERRORS.jsonWordMissing,
      ],
      [
        'JSON mode with json only in an assistant message',
        {
          messages: [...hello, { role: 'assistant', content: 'json' }, { role: 'user', content: 'again' }],
          response_format: { type: 'json_object' },
        },
        DEEPSEEK_ERRORS.jsonWordMissing,
      ],
      [
        'a json_schema response format',
        {
          messages: [{ role: 'user', content: 'Answer in JSON' }],
          response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
        },
        'This response_format type is unavailable now',
      ],
      [
        'an image on deepseek-v4-pro',
        {
          model: 'deepseek-v4-pro',
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is this?' },
                { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
              ],
            },
          ],
        },
        DEEPSEEK_ERRORS.imageUnsupported('deepseek-v4-pro'),
      ],
      [
        'tool_choice required in thinking mode',
        { messages: hello, tools: [weatherTool], tool_choice: 'required' },
        DEEPSEEK_ERRORS.toolChoiceInThinking,
      ],
      [
        'a named tool_choice in thinking mode',
        {
          messages: hello,
          tools: [weatherTool],
          tool_choice: { type: 'function', function: { name: 'get_weather' } },
        },
        DEEPSEEK_ERRORS.toolChoiceInThinking,
      ],
      [
        'a tool turn sent back without its reasoning_content, in thinking mode',
        { messages: [...hello, toolTurn, toolResult], tools: [weatherTool] },
        'The `reasoning_content` in the thinking mode must be passed back to the API.',
      ],
      [
        'top_logprobs without logprobs',
        { messages: hello, top_logprobs: 2 },
        DEEPSEEK_ERRORS.topLogprobsWithoutLogprobs,
      ],
      [
        'top_logprobs above 20',
        { messages: hello, logprobs: true, top_logprobs: 21 },
        DEEPSEEK_ERRORS.topLogprobsRange,
      ],
      [
        'stream_options without stream',
        { messages: hello, stream_options: { include_usage: true } },
        DEEPSEEK_ERRORS.streamOptionsWithoutStream,
      ],
      [
        'a body without messages',
        { prompt: 'Say hello' },
        'Failed to deserialize the JSON body into the target type: missing field `messages`',
      ],
    ])('400 for %s', async (_, body, message) => {
      expect(await refusalOf({ model: 'deepseek-flash', ...body })).toEqual(deepSeekError(message));
      // Recorded all the same, as received.
      expect(fake.requests[0]?.body).toEqual({ model: 'deepseek-flash', ...body });
    });

    it.each<[string, Record<string, unknown>]>([
      [
        'JSON mode with JSON (any case) in the system message',
        {
          messages: [{ role: 'system', content: 'Reply in JSON.' }, ...hello],
          response_format: { type: 'json_object' },
        },
      ],
      [
        'JSON mode with json in a user text part',
        {
          messages: [{ role: 'user', content: [{ type: 'text', text: 'a json greeting' }] }],
          response_format: { type: 'json_object' },
        },
      ],
      [
        'tool_choice required with thinking disabled',
        { messages: hello, tools: [weatherTool], tool_choice: 'required', ...noThinking },
      ],
      [
        'a tool turn without reasoning_content, thinking disabled',
        { messages: [...hello, toolTurn, toolResult], ...noThinking },
      ],
      [
        'a tool turn with its reasoning_content',
        { messages: [...hello, { ...toolTurn, reasoning_content: 'r' }, toolResult] },
      ],
      ['top_logprobs 20 with logprobs', { messages: hello, logprobs: true, top_logprobs: 20 }],
    ])('answers %s', async (_, body) => {
      const completion = await client.chat.completions.create({
        model: 'deepseek-flash',
        ...body,
      } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);

      expect(completion.choices[0]?.finish_reason).toMatch(/^(stop|tool_calls)$/);
    });

    it.each(['deepseek-flash', 'deepseek-v4-flash'])('reads an image on %s', async (model) => {
      const completion = await client.chat.completions.create({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
        ],
      });

      expect(completion.choices[0]?.message.content).toBe('Hello from the fake.');
    });

    it('answers a status behaviour in DeepSeek’s envelope', async () => {
      fake.behave({ kind: 'status', status: 402 });

      expect(await refusalOf({ model: 'deepseek-flash', messages: hello })).toEqual({
        status: 402,
        error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' },
      });
    });
  });

  describe('thinking', () => {
    it('thinks by default: reasoning_content, and reasoning tokens inside completion_tokens', async () => {
      fake.behave({ kind: 'answer', content: 'Hi.', reasoning: 'They greet; greet back.' });

      const completion = await client.chat.completions.create({ model: 'deepseek-flash', messages: hello });

      const message = completion.choices[0]?.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
      expect(message.reasoning_content).toBe('They greet; greet back.');
      expect(message.content).toBe('Hi.');
      const usage = completion.usage!;
      expect(usage.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
      expect(usage.completion_tokens_details?.reasoning_tokens).toBeLessThan(usage.completion_tokens);
    });

    it('does not think when disabled', async () => {
      const completion = await client.chat.completions.create({
        model: 'deepseek-v4-pro',
        messages: hello,
        ...noThinking,
      });

      expect(completion.choices[0]?.message).toEqual({ role: 'assistant', content: 'Hello from the fake.' });
      expect(completion.usage).not.toHaveProperty('completion_tokens_details');
    });

    it('streams the reasoning first, after a first delta with the role', async () => {
      const stream = await client.chat.completions.create({ model: 'deepseek-flash', messages: hello, stream: true });
      const deltas: {
        role?: string;
        content?: string | null;
        reasoning_content?: string | null;
        finish?: string;
      }[] = [];
      for await (const chunk of stream) {
        expect(chunk.usage ?? undefined).toBeUndefined();
        const choice = chunk.choices[0];
        if (choice) deltas.push({ ...choice.delta, ...(choice.finish_reason ? { finish: choice.finish_reason } : {}) });
      }

      expect(deltas[0]).toEqual({ role: 'assistant', content: null, reasoning_content: '' });
      const reasoning = deltas.map((delta) => delta.reasoning_content ?? '').join('');
      expect(reasoning).toBe(DEFAULT_REASONING);
      const lastReasoning = deltas.findLastIndex((delta) => typeof delta.reasoning_content === 'string');
      const firstContent = deltas.findIndex((delta) => typeof delta.content === 'string' && delta.content !== '');
      expect(firstContent).toBeGreaterThan(lastReasoning);
      expect(deltas.map((delta) => delta.content ?? '').join('')).toBe('Hello from the fake.');
      expect(deltas.at(-1)).toMatchObject({ finish: 'stop' });
    });

    it('streams no reasoning when disabled', async () => {
      const stream = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: hello,
        stream: true,
        ...noThinking,
      });
      const deltas: OpenAI.ChatCompletionChunk.Choice.Delta[] = [];
      for await (const chunk of stream) if (chunk.choices[0]) deltas.push(chunk.choices[0].delta);

      expect(deltas[0]).toEqual({ role: 'assistant', content: '' });
      expect(deltas.some((delta) => 'reasoning_content' in delta)).toBe(false);
    });
  });

  describe('tools', () => {
    const args = '{"city": "Paris", "unit": "celsius"}';

    it('makes a tool call, then answers the tool result', async () => {
      fake.behave({
        kind: 'answer',
        content: 'Sunny in Paris.',
        toolCalls: [{ name: 'get_weather', arguments: args }],
      });
      const question = [{ role: 'user' as const, content: 'Weather in Paris?' }];

      const first = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: question,
        tools: [weatherTool],
      });

      const choice = first.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBe('');
      const call = choice.message.tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall;
      expect(call).toEqual({
        id: expect.stringMatching(/^call_00_[A-Za-z0-9]{24}$/) as string,
        type: 'function',
        function: { name: 'get_weather', arguments: args },
      });
      const reasoning = (choice.message as { reasoning_content?: string }).reasoning_content;
      expect(reasoning).toBe(DEFAULT_REASONING);

      const second = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: [
          ...question,
          { ...choice.message, reasoning_content: reasoning } as OpenAI.ChatCompletionAssistantMessageParam,
          { role: 'tool', tool_call_id: call.id, content: '{"sky":"sunny"}' },
        ],
        tools: [weatherTool],
        tool_choice: 'none',
      });

      expect(second.choices[0]?.message.content).toBe('Sunny in Paris.');
      expect(second.choices[0]?.finish_reason).toBe('stop');
      // The tool's JSON schema arrived whole, nested fields and all.
      expect(fake.requests[1]?.body.tools).toEqual([weatherTool]);
      expect(fake.requests[1]?.body.messages?.[2]).toMatchObject({ role: 'tool', tool_call_id: call.id });
    });

    it('answers with content when the request offers no tools', async () => {
      fake.behave({ kind: 'answer', content: 'No tools here.', toolCalls: [{ name: 'get_weather', arguments: args }] });

      const completion = await client.chat.completions.create({ model: 'deepseek-flash', messages: hello });

      expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
      expect(completion.choices[0]?.message.content).toBe('No tools here.');
    });

    it('streams tool calls as deltas that finalChatCompletion() assembles', async () => {
      fake.behave({
        kind: 'answer',
        content: 'unused',
        toolCalls: [
          { name: 'get_weather', arguments: args },
          { name: 'get_weather', arguments: '{"city": "Lyon"}' },
        ],
      });
      const stream = client.chat.completions.stream({
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'Weather in Paris and Lyon?' }],
        tools: [weatherTool],
      });
      const toolDeltas: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
      stream.on('chunk', (chunk) => {
        toolDeltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
      });

      const completion = await stream.finalChatCompletion();

      const choice = completion.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.role).toBe('assistant');
      expect(choice.message.content).toBeNull();
      expect(choice.message.tool_calls).toEqual([
        {
          id: expect.stringMatching(/^call_00_/) as string,
          type: 'function',
          function: { name: 'get_weather', arguments: args },
        },
        {
          id: expect.stringMatching(/^call_01_/) as string,
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city": "Lyon"}' },
        },
      ]);
      // OpenAI's delta shape: id, type and name on the first delta of an index, then argument fragments.
      expect(toolDeltas[0]).toEqual({
        index: 0,
        id: choice.message.tool_calls?.[0]?.id,
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      });
      const fragments = toolDeltas.filter((delta) => delta.index === 0).slice(1);
      expect(fragments.length).toBeGreaterThan(3);
      for (const fragment of fragments) {
        expect(Object.keys(fragment).sort()).toEqual(['function', 'index']);
        expect(fragment.function?.arguments?.length).toBeLessThanOrEqual(4);
      }
    });

    it('streams content that finalChatCompletion() assembles, usage only when asked', async () => {
      fake.behave({
        kind: 'answer',
        content: 'A streamed answer, in pieces.',
        usage: { promptTokens: 9, completionTokens: 20 },
      });

      const plain = await client.chat.completions
        .stream({ model: 'deepseek-flash', messages: hello, ...noThinking })
        .finalChatCompletion();
      const withUsage = await client.chat.completions
        .stream({ model: 'deepseek-flash', messages: hello, stream_options: { include_usage: true } })
        .finalChatCompletion();

      expect(plain.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'A streamed answer, in pieces.' });
      expect(plain.choices[0]?.finish_reason).toBe('stop');
      expect(plain.usage).toBeUndefined();
      expect(withUsage.choices[0]?.message.content).toBe('A streamed answer, in pieces.');
      expect(withUsage.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 20, total_tokens: 29 });
    });
  });

  describe('JSON mode', () => {
    const json = { model: 'deepseek-flash', messages: [{ role: 'user' as const, content: 'Greet me as json' }] };

    it('answers the JSON the behaviour gives', async () => {
      fake.behave({ kind: 'answer', content: '{"greeting":"hello"}' });

      const completion = await client.chat.completions.create({ ...json, response_format: { type: 'json_object' } });

      expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ greeting: 'hello' });
    });

    it('answers blank content with finish stop when the output was not JSON', async () => {
      fake.behave({ kind: 'answer', content: 'not json at all', blankJson: true });

      const completion = await client.chat.completions.create({ ...json, response_format: { type: 'json_object' } });

      expect(completion.choices[0]?.message.content).toMatch(/^ +$/);
      expect(completion.choices[0]?.finish_reason).toBe('stop');
    });
  });

  describe('usage', () => {
    it('reports cache hits and misses and reasoning tokens as DeepSeek does', async () => {
      fake.behave({
        kind: 'answer',
        content: 'Hi.',
        usage: { promptTokens: 100, completionTokens: 50, cacheHitTokens: 64, reasoningTokens: 20 },
      });

      const completion = await client.chat.completions.create({ model: 'deepseek-flash', messages: hello });

      expect(completion.usage).toEqual({
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 64 },
        prompt_cache_hit_tokens: 64,
        prompt_cache_miss_tokens: 36,
        completion_tokens_details: { reasoning_tokens: 20 },
      });
    });

    it('keeps the old totals meaning exactly those, all prompt a cache miss', async () => {
      fake.behave({ kind: 'answer', content: 'Hi.', usage: { promptTokens: 30, completionTokens: 4 } });

      const completion = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: hello,
        ...noThinking,
      });

      expect(completion.usage).toEqual({
        prompt_tokens: 30,
        completion_tokens: 4,
        total_tokens: 34,
        prompt_tokens_details: { cached_tokens: 0 },
        prompt_cache_hit_tokens: 0,
        prompt_cache_miss_tokens: 30,
      });
    });

    it('streams the usage in a last chunk without choices', async () => {
      fake.behave({
        kind: 'answer',
        content: 'Hi.',
        usage: { promptTokens: 10, completionTokens: 12, cacheHitTokens: 4 },
      });
      const stream = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: hello,
        stream: true,
        stream_options: { include_usage: true },
      });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);

      expect(chunks.at(-1)).toMatchObject({
        choices: [],
        usage: { prompt_tokens: 10, completion_tokens: 12, prompt_cache_hit_tokens: 4, prompt_cache_miss_tokens: 6 },
      });
      expect(chunks.filter((chunk) => chunk.usage)).toHaveLength(1);
    });
  });

  describe('keep-alive', () => {
    it('sends keep-alive comments before a stream, which the SDK ignores', async () => {
      fake.behave({ kind: 'answer', content: 'After a wait.', keepAliveComments: { count: 3, intervalMs: 20 } });

      const completion = await client.chat.completions
        .stream({ model: 'deepseek-flash', messages: hello })
        .finalChatCompletion();
      const raw = await fetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'deepseek-flash', messages: hello, stream: true }),
      });
      const text = await raw.text();

      expect(completion.choices[0]?.message.content).toBe('After a wait.');
      expect(text.startsWith(': keep-alive\n\n: keep-alive\n\n: keep-alive\n\ndata: ')).toBe(true);
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    });

    it('sends blank lines before a JSON answer, which the SDK ignores', async () => {
      fake.behave({
        kind: 'answer',
        content: 'After a wait.',
        keepAliveLines: 2,
        keepAliveComments: { count: 1, intervalMs: 10 },
      });

      const completion = await client.chat.completions.create({ model: 'deepseek-flash', messages: hello });
      const raw = await fetch(`${fake.url}/chat/completions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'deepseek-flash', messages: hello }),
      });

      expect(completion.choices[0]?.message.content).toBe('After a wait.');
      expect(await raw.text()).toMatch(/^\n\n\n\{/);
    });
  });

  describe('logprobs', () => {
    const content = 'Hello there, friend.';

    it('gives a logprob per token with as many alternatives as asked', async () => {
      fake.behave({ kind: 'answer', content, chunkChars: 5 });

      const completion = await client.chat.completions.create({
        model: 'deepseek-flash',
        messages: hello,
        logprobs: true,
        top_logprobs: 3,
      });

      const tokens = completion.choices[0]?.logprobs?.content ?? [];
      expect(tokens.map((token) => token.token).join('')).toBe(content);
      for (const token of tokens) {
        expect(token.logprob).toBeLessThan(0);
        expect(token.bytes).toEqual([...Buffer.from(token.token)]);
        expect(token.top_logprobs).toHaveLength(3);
        expect(token.top_logprobs[0]?.token).toBe(token.token);
      }
    });

    it('has no logprobs unless asked', async () => {
      const completion = await client.chat.completions.create({ model: 'deepseek-flash', messages: hello });

      expect(completion.choices[0]?.logprobs).toBeNull();
    });

    it('streams the logprobs with the content pieces', async () => {
      fake.behave({ kind: 'answer', content });

      const completion = await client.chat.completions
        .stream({ model: 'deepseek-flash', messages: hello, logprobs: true, top_logprobs: 1 })
        .finalChatCompletion();

      const tokens = completion.choices[0]?.logprobs?.content ?? [];
      expect(tokens.map((token) => token.token).join('')).toBe(content);
      expect(tokens.every((token) => token.top_logprobs.length === 1)).toBe(true);
    });
  });

  describe('the account', () => {
    it('answers the balance in DeepSeek’s shape, as set', async () => {
      const balanceOf = async () =>
        (await (
          await fetch(`${fake.url}/user/balance`, { headers: { Authorization: 'Bearer sk-fake' } })
        ).json()) as unknown;

      expect(await balanceOf()).toEqual({
        is_available: true,
        balance_infos: [
          { currency: 'USD', total_balance: '10.00', granted_balance: '0.00', topped_up_balance: '10.00' },
        ],
      });
      const empty = {
        is_available: false,
        balance_infos: [{ currency: 'CNY', total_balance: '0.00', granted_balance: '0.00', topped_up_balance: '0.00' }],
      };
      fake.setBalance(empty);
      fake.behave({ kind: 'hang' });
      expect(await balanceOf()).toEqual(empty);
      expect(fake.requests.map(({ method, path, authorization }) => ({ method, path, authorization }))).toEqual([
        { method: 'GET', path: '/user/balance', authorization: 'Bearer sk-fake' },
        { method: 'GET', path: '/user/balance', authorization: 'Bearer sk-fake' },
      ]);
    });

    it('records each chat body exactly as received, DeepSeek’s own fields included', async () => {
      const body = {
        model: 'deepseek-flash',
        messages: [{ role: 'user', content: 'Hi', name: 'ann' }],
        thinking: { type: 'enabled' },
        reasoning_effort: 'max',
        user_id: 'u-1',
        stop: ['\n\n'],
        temperature: 0.3,
      };

      await client.chat.completions.create(body as OpenAI.ChatCompletionCreateParamsNonStreaming);

      expect(fake.requests).toEqual([
        { method: 'POST', path: '/chat/completions', authorization: 'Bearer sk-fake', body },
      ]);
    });
  });
});
