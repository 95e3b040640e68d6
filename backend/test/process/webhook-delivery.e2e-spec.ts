import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import type { AuthResponse, CreatedWebhook } from '#src/contract/index.js';
import { type BackendProcess, startTestBackend, waitForOk } from '#test/support/backend-process.js';
import { pollUntil } from '#test/support/poll.js';
import { TEST_PASSWORD } from '#test/support/sessions.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';
import { WebhookReceiver } from '#test/support/webhook-receiver.js';

const FAST_DELIVERY = {
  WEBHOOK_POLL_INTERVAL_MS: '50',
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_TIMEOUT_MS: '2000',
};

/** The dispatcher across real processes (docs/alerts.md): several instances, and one killed. */
describe('webhook delivery across backend processes', () => {
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  const backends: BackendProcess[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    for (const backend of backends.splice(0)) {
      backend.child.kill('SIGTERM');
      await backend.exited;
    }
    await receiver.stop();
    await database.drop();
  });

  async function start(env: Record<string, string> = {}): Promise<BackendProcess> {
    const backend = await startTestBackend(database.url, { ...FAST_DELIVERY, ...env });
    backends.push(backend);
    await waitForOk(backend, '/health/ready');
    return backend;
  }

  async function subscribe(backend: BackendProcess): Promise<CreatedWebhook> {
    const session = (
      await request(backend.baseUrl)
        .post('/api/auth/register')
        .send({ email: 'ops@example.test', password: TEST_PASSWORD })
        .expect(201)
    ).body as AuthResponse;
    await database.pool().query(`UPDATE users SET role = 'admin' WHERE id = $1::uuid`, [session.user.id]);
    return (
      await request(backend.baseUrl)
        .post('/api/admin/webhooks')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ url: receiver.url, events: ['credits.added'] })
        .expect(201)
    ).body as CreatedWebhook;
  }

  /** `count` events, as a transaction that recharges would write them. */
  async function raiseEvents(count: number): Promise<string[]> {
    const { rows } = await database
      .pool()
      .query<{ id: string }>(
        `SELECT enqueue_webhook_event('credits.added', jsonb_build_object('n', n)) AS id FROM generate_series(1, $1::integer) n`,
        [count],
      );
    return rows.map((row) => row.id);
  }

  async function statuses(): Promise<Record<string, number>> {
    const { rows } = await database
      .pool()
      .query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM webhook_deliveries GROUP BY status',
      );
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  it('two instances deliver each of 40 events exactly once between them', async () => {
    const [first] = [await start(), await start()];
    await subscribe(first);
    receiver.answer({ status: 200, delayMs: 30 });

    const events = await raiseEvents(40);

    await pollUntil(async () => ((await statuses())['delivered'] === 40 ? true : undefined), 20_000, 'all deliveries');
    await sleep(500);
    const ids = receiver.received.map((delivery) => delivery.event.id);
    expect(ids).toHaveLength(40);
    expect(new Set(ids)).toEqual(new Set(events));
  });

  it('delivers the pending events of a killed instance after a restart', async () => {
    // Its next attempts are 3 s after each failure: when it dies, none is in flight.
    const doomed = await start({ WEBHOOK_RETRY_BASE_MS: '3000' });
    await subscribe(doomed);
    receiver.answer({ status: 503 });
    const events = await raiseEvents(10);
    await pollUntil(
      async () => {
        const { rows } = await database
          .pool()
          .query<{ tried: number }>(
            `SELECT count(*)::int AS tried FROM webhook_deliveries WHERE attempts = 1 AND last_status_code = 503`,
          );
        return rows[0]?.tried === 10 ? true : undefined;
      },
      10_000,
      'every delivery to be tried once',
    );
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(await statuses()).toEqual({ pending: 10 });

    receiver.answer({ status: 200 });
    await start();

    await pollUntil(
      async () => ((await statuses())['delivered'] === 10 ? true : undefined),
      20_000,
      'the deliveries after restart',
    );
    // Each event reached the receiver twice: refused by the first instance, taken by the second.
    const received = receiver.received.map((delivery) => delivery.event.id);
    expect(received).toHaveLength(20);
    expect(new Set(received)).toEqual(new Set(events));
  });
});
