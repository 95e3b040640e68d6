import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import type { AuthResponse, ChannelView, CreateChannelRequest } from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { useFlatTestPrices } from '#test/support/test-prices.js';

/**
 * Long enough that the steps which must happen inside a cool-down (a request or two and a look at the
 * channel list) fit in it with a wide margin on a busy machine: at 400 ms they once did not.
 */
const COOLDOWN_MS = 1500;

/**
 * Health with shortened thresholds (docs/channels.md): 2 retryable failures within 5 s cool a channel
 * down for COOLDOWN_MS, doubling on each consecutive cool-down up to 4× that; then one request probes it.
 */
describe('upstream channels: health, cool-down and probe', () => {
  const keys = { a: 'sk-health-a-1111', b: 'sk-health-b-2222' };
  let fakes: { a: FakeDeepSeek; b: FakeDeepSeek };
  let testApp: TestApp;
  let admin: AuthResponse;
  let user: AuthResponse;

  beforeAll(async () => {
    fakes = { a: await FakeDeepSeek.start({ apiKey: keys.a }), b: await FakeDeepSeek.start({ apiKey: keys.b }) };
    testApp = await createTestApp({
      env: {
        AI_DEFAULT_MODEL: 'deepseek-chat',
        CHANNEL_FAILURE_THRESHOLD: '2',
        CHANNEL_FAILURE_WINDOW_MS: '5000',
        CHANNEL_COOLDOWN_MS: String(COOLDOWN_MS),
        CHANNEL_COOLDOWN_MAX_MS: String(COOLDOWN_MS * 4),
      },
    });
    await useFlatTestPrices(testApp.database.pool());
    admin = await registerAdmin(testApp.http, testApp.database.pool());
    user = await registerUser(testApp.http);
  });

  afterAll(async () => {
    await expectCreditInvariants(testApp.database.pool());
    await testApp.close();
    await Promise.all(Object.values(fakes).map((fake) => fake.stop()));
  });

  const calls = (fake: FakeDeepSeek) => fake.requests.filter((call) => call.path.endsWith('/chat/completions')).length;
  const chat = () =>
    request(testApp.http)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .send({ prompt: 'Are you there?' });

  async function addChannel(name: 'a' | 'b', fields: Partial<CreateChannelRequest>): Promise<ChannelView> {
    const response = await request(testApp.http)
      .post('/api/admin/channels')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({
        name,
        kind: 'deepseek',
        baseUrl: fakes[name].url,
        apiKey: keys[name],
        models: ['deepseek-chat'],
        ...fields,
      })
      .expect(201);
    return response.body as ChannelView;
  }

  async function viewOf(name: string): Promise<ChannelView> {
    const response = await request(testApp.http)
      .get('/api/admin/channels')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(200);
    const view = (response.body as ChannelView[]).find((channel) => channel.name === name);
    if (view === undefined) throw new Error(`no channel ${name}`);
    return view;
  }

  it('cools a failing channel down, probes it once, doubles the next cool-down, and takes it back when a probe answers', async () => {
    await addChannel('a', { priority: 0 });
    await addChannel('b', { priority: 1 });
    fakes.a.behave({ kind: 'status', status: 503 });

    // Two retryable failures: each request fails over to b, and a cools down.
    await chat().expect(200);
    await chat().expect(200);
    expect(calls(fakes.a)).toBe(2);
    const cooling = await viewOf('a');
    expect(cooling).toMatchObject({ state: 'cooling', lastHour: { requests: 2, failures: 2, failureRate: 1 } });
    expect(cooling.lastHour.lastError?.message).toBe('HTTP 503');
    expect(Date.parse(cooling.coolingUntil ?? '')).toBeGreaterThan(Date.now());

    // While it cools, a is skipped: b answers alone.
    await chat().expect(200);
    expect(calls(fakes.a)).toBe(2);

    // The cool-down ends: the next request probes a (still failing), and a cools down for twice as long.
    await sleep(COOLDOWN_MS + 50);
    expect((await viewOf('a')).state).toBe('probing');
    await chat().expect(200);
    expect(calls(fakes.a)).toBe(3);
    const again = await viewOf('a');
    expect(again.state).toBe('cooling');
    const secondCooldownMs = Date.parse(again.coolingUntil ?? '') - Date.now();
    expect(secondCooldownMs).toBeGreaterThan(COOLDOWN_MS + 100);
    expect(secondCooldownMs).toBeLessThanOrEqual(COOLDOWN_MS * 2);

    // Still cooling after the first cool-down's length: not probed.
    await sleep(COOLDOWN_MS + 50);
    await chat().expect(200);
    expect(calls(fakes.a)).toBe(3);

    // a recovers; once the doubled cool-down is over, the probe answers and a is healthy and first again.
    fakes.a.behave({ kind: 'answer', content: 'a is back' });
    await sleep(COOLDOWN_MS + 50);
    const probe = await chat().expect(200);
    expect(probe.body).toMatchObject({ answer: 'a is back' });
    expect((await viewOf('a')).state).toBe('healthy');
    await chat().expect(200);
    expect(calls(fakes.a)).toBe(5);
  });

  it('one probe at a time: parallel requests while a channel is being probed skip it', async () => {
    await testApp.database.pool().query('DELETE FROM channels');
    await addChannel('a', { priority: 0 });
    await addChannel('b', { priority: 1 });
    fakes.a.reset();
    fakes.b.reset();
    fakes.a.behave({ kind: 'status', status: 500 });
    await chat().expect(200);
    await chat().expect(200);
    expect((await viewOf('a')).state).toBe('cooling');

    await sleep(COOLDOWN_MS + 50);
    fakes.a.behave({ kind: 'answer', content: 'slow probe', delayMs: 300 });
    await Promise.all(Array.from({ length: 5 }, () => chat().expect(200)));

    expect(calls(fakes.a)).toBe(3);
    expect((await viewOf('a')).state).toBe('healthy');
  });
});
