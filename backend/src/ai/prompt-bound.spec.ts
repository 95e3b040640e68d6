import { IMAGE_TOKEN_BOUND, promptTokenBound, TOOL_PREAMBLE_TOKENS } from '#src/ai/prompt-bound.js';

describe('promptTokenBound', () => {
  it('counts UTF-8 bytes of the text plus 8 template tokens per message', () => {
    expect(promptTokenBound({ messages: [{ role: 'user', content: 'hello' }], options: {} })).toBe(5 + 8);
    expect(
      promptTokenBound({
        messages: [
          { role: 'user', content: 'żółw' },
          { role: 'assistant', content: '' },
        ],
        options: {},
      }),
    ).toBe(7 + 8 + 8);
  });

  it('counts every text part, a fixed bound per image, and the other fields of a message as JSON', () => {
    const bound = promptTokenBound({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'abc' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'text', text: 'de' },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      ],
      options: {},
    });
    const toolCallsJson = JSON.stringify({
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
    });
    expect(bound).toBe(8 + 3 + IMAGE_TOKEN_BOUND + 2 + 8 + Buffer.byteLength(toolCallsJson));
  });

  it('counts tool definitions as JSON with the template preamble for tools', () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }];
    const without = promptTokenBound({ messages: [{ role: 'user', content: 'x' }], options: {} });
    const withTools = promptTokenBound({ messages: [{ role: 'user', content: 'x' }], options: { tools } });
    expect(withTools - without).toBe(TOOL_PREAMBLE_TOKENS + Buffer.byteLength(JSON.stringify(tools)));
  });
});
