import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';
import {
  type AuthResponse,
  type CreatedWebhook,
  ErrorCode,
  type ListResponse,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '#src/contract/index.js';
import { restoreChannels } from '#test/support/channels.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { pollUntil } from '#test/support/poll.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';
import { insertTestModel } from '#test/support/test-prices.js';
import { type ReceivedDelivery, WebhookReceiver } from '#test/support/webhook-receiver.js';

const RETRY_BASE_MS = 200;
const RETRY_WINDOW_MS = 2500;
const COOLDOWN_MS = 300;

type Verify = (secret: string, header: string, rawBody: string, toleranceSeconds?: number) => boolean;

/** The verification function docs/alerts.md gives receivers, run exactly as written there. */
function documentedVerifier(): Verify {
  const doc = readFileSync(`${findWorkspaceRoot()}/docs/alerts.md`, 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (code === undefined) throw new Error('docs/alerts.md has no js block');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the documentation's own snippet, on purpose
  const load = new Function('require', `${code}\nreturn verifyCreditGate;`) as (load: NodeJS.Require) => Verify;
  return load(require);
}

/**
 * Alerts end to end (docs/alerts.md): events written by the transactions that cause them, delivered
 * signed to a real receiver on loopback, retried, given up on, and never raised twice for one crossing.
 */
describe('webhook alerts', () => {
  let fake: FakeDeepSeek;
  let receiver: WebhookReceiver;
  let testApp: TestApp;
  let admin: AuthResponse;
  let endpoint: CreatedWebhook;

  beforeAll(async () => {
    fake = await FakeDeepSeek.start();
    receiver = await WebhookReceiver.start();
    testApp = await createTestApp({
      env: {
        DEEPSEEK_API_KEY: 'sk-alerts-suite-0000',
        DEEPSEEK_BASE_URL: fake.url,
        LOW_CREDITS_THRESHOLD: '100',
        WEBHOOK_POLL_INTERVAL_MS: '50',
        WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
        WEBHOOK_RETRY_WINDOW_MS: String(RETRY_WINDOW_MS),
        WEBHOOK_TIMEOUT_MS: '1000',
        CHANNEL_FAILURE_THRESHOLD: '2',
        CHANNEL_COOLDOWN_MS: String(COOLDOWN_MS),
      },
    });
    admin = await registerAdmin(testApp.http, owner());
    for (const [id, requestCredits] of [
      ['cost-460', 460],
      ['cost-90', 90],
      ['cost-50', 50],
      ['cost-30', 30],
      ['cost-10', 10],
    ] as const) {
      await insertTestModel(owner(), { id, requestCredits });
    }
    endpoint = (
      await api()
        .post('/api/admin/webhooks')
        .send({
          url: receiver.url,
          events: ['credits.low', 'credits.added', 'budget.threshold', 'channel.down', 'channel.up'],
          description: 'ops',
        })
        .expect(201)
    ).body as CreatedWebhook;
  });

  afterEach(async () => {
    fake.reset();
    receiver.answer({ status: 200 });
    await restoreChannels(testApp);
    await expectCreditInvariants(owner());
  });

  afterAll(async () => {
    await testApp.close();
    await receiver.stop();
    await fake.stop();
  });

  const owner = () => testApp.database.pool();
  const api = () => ({
    get: (path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${admin.accessToken}`),
    post: (path: string) => request(testApp.http).post(path).set('Authorization', `Bearer ${admin.accessToken}`),
    delete: (path: string) => request(testApp.http).delete(path).set('Authorization', `Bearer ${admin.accessToken}`),
  });
  const chat = (session: AuthResponse, model: string) =>
    request(testApp.http)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ prompt: 'Spend', model });
  const recharge = (userId: string, amount: number) =>
    api().post('/api/admin/recharge').send({ userId, amount, reason: 'Top-up for the alerts suite' }).expect(201);
  const eventsFor = (type: string, userId: string) =>
    receiver.of(type).filter((delivery) => delivery.event.data['userId'] === userId);
  /** Waits for `count` deliveries, then long enough for a duplicate to have shown up too. */
  async function settled<T>(read: () => T[], count: number, what: string): Promise<T[]> {
    await pollUntil(() => (read().length >= count ? true : undefined), 5000, what);
    await sleep(300);
    return read();
  }

  it('registers an endpoint with a secret shown once, stored encrypted, and refuses bad ones', async () => {
    expect(endpoint.secret).toMatch(/^whsec_[\w-]{43}$/);
    expect(endpoint).toMatchObject({ url: receiver.url, description: 'ops' });
    const listed = (await api().get('/api/admin/webhooks').expect(200)).body as WebhookEndpointView[];
    expect(listed).toEqual([expect.objectContaining({ id: endpoint.id, url: receiver.url })]);
    expect(JSON.stringify(listed)).not.toContain(endpoint.secret);
    const { rows } = await owner().query('SELECT * FROM webhook_endpoints');
    expect(JSON.stringify(rows)).not.toContain(endpoint.secret);

    for (const body of [
      { url: 'ftp://example.test/hook', events: ['credits.low'] },
      { url: 'https://user:pass@example.test/hook', events: ['credits.low'] },
      { url: 'https://example.test/hook', events: ['credits.spent'] },
      { url: 'https://example.test/hook', events: [] },
    ]) {
      const refused = await api().post('/api/admin/webhooks').send(body).expect(400);
      expect(refused.body).toMatchObject({ code: ErrorCode.ValidationFailed });
    }
    const user = await registerUser(testApp.http);
    await request(testApp.http)
      .post('/api/admin/webhooks')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .send({ url: 'https://example.test/hook', events: ['credits.low'] })
      .expect(403);
  });

  it('raises credits.added once per recharge, signed as docs/alerts.md verifies it', async () => {
    const user = await registerUser(testApp.http);
    await recharge(user.user.id, 250);

    const [delivery, ...more] = await settled(() => eventsFor('credits.added', user.user.id), 1, 'credits.added');

    expect(more).toEqual([]);
    expect(delivery?.event).toEqual({
      id: expect.any(String) as string,
      type: 'credits.added',
      createdAt: expect.any(String) as string,
      data: {
        userId: user.user.id,
        email: user.user.email,
        amount: 250,
        source: 'recharge',
        balance: 1250,
        ledgerEntryId: expect.any(String) as string,
      },
    });
    const verify = documentedVerifier();
    const header = String(delivery?.headers['creditgate-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(endpoint.secret, header, delivery?.rawBody ?? '')).toBe(true);
    expect(verify('whsec_wrong', header, delivery?.rawBody ?? '')).toBe(false);
    expect(verify(endpoint.secret, header, `${delivery?.rawBody ?? ''} `)).toBe(false);
    // A captured delivery replayed an hour later is refused by the documented check.
    const old = header.replace(/^t=\d+/, `t=${Math.floor(Date.now() / 1000) - 3600}`);
    expect(verify(endpoint.secret, old, delivery?.rawBody ?? '')).toBe(false);
  });

  it('raises credits.low once per crossing: again only after the credits rose above the threshold and fell again', async () => {
    const user = await registerUser(testApp.http);

    await chat(user, 'cost-460').expect(200); // 540 left
    await chat(user, 'cost-460').expect(200); // 80 left: under 100
    await chat(user, 'cost-50').expect(200); // 30 left: still under, no second alert
    const first = await settled(() => eventsFor('credits.low', user.user.id), 1, 'the first credits.low');
    expect(first.map((delivery) => delivery.event.data)).toEqual([
      { userId: user.user.id, email: user.user.email, available: 80, threshold: 100 },
    ]);

    await recharge(user.user.id, 50); // 80: still under, so not re-armed
    await chat(user, 'cost-50').expect(200); // 30
    await recharge(user.user.id, 100); // 130: back above
    await chat(user, 'cost-50').expect(200); // 80: a new crossing
    const both = await settled(() => eventsFor('credits.low', user.user.id), 2, 'the second credits.low');
    expect(both.map((delivery) => delivery.event.data['available'])).toEqual([80, 80]);
    expect(new Set(both.map((delivery) => delivery.event.id)).size).toBe(2);
  });

  it('raises budget.threshold at 80 % and 100 % of a key’s budget, once each', async () => {
    const user = await registerUser(testApp.http);
    const created = await request(testApp.http)
      .post('/api/keys')
      .set('Authorization', `Bearer ${user.accessToken}`)
      .send({ name: 'budgeted', budget: { credits: 100, period: 'day' } })
      .expect(201);
    const { id: keyId, key } = created.body as { id: string; key: string };
    const asKey = { ...user, accessToken: key };

    for (const model of ['cost-30', 'cost-30', 'cost-30', 'cost-10']) await chat(asKey, model).expect(200); // 90, then 100
    await chat(asKey, 'cost-10').expect(403); // the budget is spent

    const crossings = await settled(
      () => receiver.of('budget.threshold').filter((delivery) => delivery.event.data['apiKeyId'] === keyId),
      2,
      'both crossings',
    );
    expect(crossings.map((delivery) => delivery.event.data)).toEqual([
      expect.objectContaining({
        scope: 'key',
        userId: user.user.id,
        percent: 80,
        spent: 90,
        limit: 100,
        period: 'day',
      }),
      expect.objectContaining({ scope: 'key', percent: 100, spent: 100 }),
    ]);
  });

  it('raises budget.threshold for a user’s spend limit across keys and logins', async () => {
    const user = await registerUser(testApp.http);
    await request(testApp.http)
      .patch(`/api/admin/users/${user.user.id}`)
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ spendLimit: { credits: 100, period: 'month' }, reason: 'Trial cap' })
      .expect(200);

    for (const model of ['cost-50', 'cost-30', 'cost-10']) await chat(user, model).expect(200); // 50, 80, 90

    const crossings = await settled(
      () => receiver.of('budget.threshold').filter((delivery) => delivery.event.data['userId'] === user.user.id),
      1,
      'the 80 % crossing',
    );
    expect(crossings.map((delivery) => delivery.event.data)).toEqual([
      expect.objectContaining({ scope: 'user', apiKeyId: null, percent: 80, spent: 80, limit: 100, period: 'month' }),
    ]);
  });

  it('raises channel.down when a channel starts cooling down and channel.up when a probe answers, once each', async () => {
    const user = await registerUser(testApp.http);
    fake.behave({ kind: 'status', status: 503 });
    await chat(user, 'cost-50').expect(500);
    await chat(user, 'cost-50').expect(500);
    await chat(user, 'cost-50').expect(500); // skipped while cooling: no channel available

    const down = await settled(() => receiver.of('channel.down'), 1, 'channel.down');
    expect(down.map((delivery) => delivery.event.data)).toEqual([
      expect.objectContaining({ name: 'deepseek', reason: expect.stringContaining('HTTP 503') as string }),
    ]);

    fake.behave({ kind: 'answer', content: 'back' });
    await sleep(COOLDOWN_MS + 50);
    await chat(user, 'cost-50').expect(200);
    await chat(user, 'cost-50').expect(200);
    const up = await settled(() => receiver.of('channel.up'), 1, 'channel.up');
    expect(up.map((delivery) => delivery.event.data)).toEqual([
      expect.objectContaining({ name: 'deepseek', reason: 'a probe answered' }),
    ]);
    expect(receiver.of('channel.down')).toHaveLength(1);
  });

  it('raises channel.down when a refused key disables a channel, and channel.up when an admin enables it', async () => {
    const user = await registerUser(testApp.http);
    const before = { down: receiver.of('channel.down').length, up: receiver.of('channel.up').length };
    fake.behave({ kind: 'status', status: 401 });
    await chat(user, 'cost-50').expect(500);
    await settled(() => receiver.of('channel.down'), before.down + 1, 'channel.down after 401');
    expect(receiver.of('channel.down').at(-1)?.event.data['reason']).toMatch(/^disabled: .*401/);

    fake.reset();
    const [channel] = (await api().get('/api/admin/channels').expect(200)).body as { id: string }[];
    await request(testApp.http)
      .patch(`/api/admin/channels/${channel?.id}`)
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ enabled: true })
      .expect(200);
    const up = await settled(() => receiver.of('channel.up'), before.up + 1, 'channel.up after enabling');
    expect(up.at(-1)?.event.data['reason']).toBe('enabled by an admin');
    expect(receiver.of('channel.down')).toHaveLength(before.down + 1);
  });

  describe('delivery', () => {
    let other: WebhookReceiver;
    let second: CreatedWebhook;

    beforeAll(async () => {
      other = await WebhookReceiver.start();
      second = (
        await api()
          .post('/api/admin/webhooks')
          .send({ url: other.url, events: ['credits.added'] })
          .expect(201)
      ).body as CreatedWebhook;
    });

    afterAll(async () => {
      await api().delete(`/api/admin/webhooks/${second.id}`).expect(204);
      await other.stop();
    });

    async function deliveriesOf(id: string): Promise<WebhookDeliveryView[]> {
      return (
        (await api().get(`/api/admin/webhooks/${id}/deliveries?limit=100`).expect(200))
          .body as ListResponse<WebhookDeliveryView>
      ).items;
    }

    it('retries a receiver that fails twice and delivers on the third attempt, about 0.2 s then 0.4 s later', async () => {
      const user = await registerUser(testApp.http);
      other.answerNext({ status: 500 }, { status: 503 });
      await recharge(user.user.id, 10);

      const attempts = await settled(
        () => other.received.filter((delivery) => delivery.event.data['userId'] === user.user.id),
        3,
        'three attempts',
      );

      expect(attempts).toHaveLength(3);
      expect(new Set(attempts.map((delivery) => delivery.event.id)).size).toBe(1);
      const [a, b, c] = attempts.map((delivery) => delivery.receivedAt) as [number, number, number];
      expect(b - a).toBeGreaterThanOrEqual(RETRY_BASE_MS - 20);
      expect(c - b).toBeGreaterThanOrEqual(2 * RETRY_BASE_MS - 20);
      const [delivery] = (await deliveriesOf(second.id)).filter((item) => item.eventId === attempts[0]?.event.id);
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null });
    });

    it('marks a delivery failed once the retry window has passed, and lets an admin retry it', async () => {
      const user = await registerUser(testApp.http);
      other.answer({ status: 500 });
      await recharge(user.user.id, 10);

      const failed = await pollUntil(
        async () =>
          (await deliveriesOf(second.id)).find(
            (item) =>
              item.status === 'failed' &&
              other.received.some((d) => d.event.id === item.eventId && d.event.data['userId'] === user.user.id),
          ),
        RETRY_WINDOW_MS + 3000,
        'the delivery to fail',
      );
      expect(failed).toMatchObject({ lastStatusCode: 500, lastError: 'HTTP 500', nextAttemptAt: null });
      // 0, 0.2, 0.6, 1.4 s: the next (3.0 s) would be past the 2.5 s window.
      expect(failed.attempts).toBe(4);

      other.answer({ status: 204 });
      await api().post(`/api/admin/webhooks/${second.id}/deliveries/${failed.id}/retry`).expect(202);
      const retried = await pollUntil(
        async () =>
          (await deliveriesOf(second.id)).find((item) => item.id === failed.id && item.status === 'delivered'),
        3000,
        'the retried delivery',
      );
      expect(retried).toMatchObject({ attempts: 5, lastStatusCode: 204 });
      await api().post(`/api/admin/webhooks/${second.id}/deliveries/${failed.id}/retry`).expect(404);
      await api().post(`/api/admin/webhooks/${second.id}/deliveries/not-a-number/retry`).expect(400);
    });

    it('never lets a slow endpoint delay another', async () => {
      const user = await registerUser(testApp.http);
      // The first endpoint hangs past WEBHOOK_TIMEOUT_MS on this event; the second answers at once.
      receiver.answerNext({ status: 200, delayMs: 3000 });
      await recharge(user.user.id, 10);

      const forUser = (delivery: ReceivedDelivery) => delivery.event.data['userId'] === user.user.id;
      const [slow, fast] = await pollUntil(
        () => {
          const pair = [receiver.received.find(forUser), other.received.find(forUser)] as const;
          return pair[0] !== undefined && pair[1] !== undefined ? [pair[0], pair[1]] : undefined;
        },
        2000,
        'both endpoints',
      );
      // Delivered one after the other, the fast endpoint would hear of the event only once the slow
      // one's attempt had timed out (WEBHOOK_TIMEOUT_MS, 1 s): the two arrival times are compared, so
      // the time the recharge and the polling take does not count.
      expect(Math.abs(fast.receivedAt - slow.receivedAt)).toBeLessThan(1000);
      // The slow one timed out (1 s) and gets the event again.
      await pollUntil(
        () => (eventsFor('credits.added', user.user.id).length >= 2 ? true : undefined),
        4000,
        'the retry',
      );
    });

    it('sends a test event to one endpoint only', async () => {
      const response = await api().post(`/api/admin/webhooks/${second.id}/test`).expect(202);
      const { eventId } = response.body as { eventId: string };

      await settled(() => other.received.filter((delivery) => delivery.event.id === eventId), 1, 'the test event');
      expect(receiver.received.some((delivery) => delivery.event.id === eventId)).toBe(false);
      expect(other.received.find((delivery) => delivery.event.id === eventId)?.event).toMatchObject({
        type: 'webhook.test',
        data: { endpointId: second.id },
      });
    });
  });

  it('never logs a signing secret', () => {
    expect(testApp.logLines().join('\n')).not.toContain(endpoint.secret);
  });
});
