import type { ChannelView } from '@creditgate/contract';
import {
  type ChannelFormValue,
  createChannelRequest,
  updateChannelRequest,
} from '@app/features/channels/channel-request';

describe('channel requests', () => {
  const form = (overrides: Partial<ChannelFormValue> = {}): ChannelFormValue => ({
    name: ' backup ',
    kind: 'openai-compatible',
    baseUrl: ' https://llm.example.test/v1 ',
    apiKey: ' sk-new-key-0001 ',
    models: ['deepseek-flash', 'deepseek-v4-pro'],
    upstreamModels: { 'deepseek-flash': ' flash-2 ', 'deepseek-v4-pro': '', 'deepseek-chat': 'kept-but-unselected' },
    priority: 1,
    weight: 3,
    enabled: true,
    ...overrides,
  });

  it('creates with trimmed values and only the upstream names of the selected models', () => {
    expect(createChannelRequest(form())).toEqual({
      name: 'backup',
      kind: 'openai-compatible',
      baseUrl: 'https://llm.example.test/v1',
      apiKey: 'sk-new-key-0001',
      models: ['deepseek-flash', 'deepseek-v4-pro'],
      upstreamModels: { 'deepseek-flash': 'flash-2' },
      priority: 1,
      weight: 3,
      enabled: true,
    });
    expect(createChannelRequest(form({ upstreamModels: {} }))).not.toHaveProperty('upstreamModels');
  });

  const current: ChannelView = {
    id: 'c1',
    name: 'backup',
    kind: 'openai-compatible',
    builtIn: false,
    baseUrl: 'https://llm.example.test/v1',
    apiKeyLast4: '0000',
    models: ['deepseek-v4-pro', 'deepseek-flash'],
    upstreamModels: { 'deepseek-flash': 'flash-2' },
    priority: 1,
    weight: 3,
    enabled: true,
    disabledReason: null,
    state: 'healthy',
    coolingUntil: null,
    lastHour: { requests: 0, failures: 0, failureRate: null, p50LatencyMs: null, lastError: null },
    balance: null,
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:00.000Z',
  };

  it('updates only what changed, the key only when a new one was typed', () => {
    expect(updateChannelRequest(current, form({ apiKey: '  ' }))).toEqual({});
    expect(updateChannelRequest(current, form())).toEqual({ apiKey: 'sk-new-key-0001' });
    expect(
      updateChannelRequest(
        current,
        form({ apiKey: '', models: ['deepseek-flash'], upstreamModels: {}, weight: 5, enabled: false }),
      ),
    ).toEqual({ models: ['deepseek-flash'], upstreamModels: {}, weight: 5, enabled: false });
  });

  it('sends the built-in channel only its priority, weight and switch', () => {
    const builtIn: ChannelView = { ...current, name: 'deepseek', kind: 'deepseek', builtIn: true };
    expect(updateChannelRequest(builtIn, form({ name: 'renamed', priority: 7, enabled: false }))).toEqual({
      priority: 7,
      enabled: false,
    });
  });
});
