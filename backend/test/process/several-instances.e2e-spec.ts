import request from 'supertest';
import { type BackendProcess, waitForOk, startTestBackend } from '#test/support/backend-process.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';
import { insertTestModel } from '#test/support/test-prices.js';

/** The backend is stateless: several instances on one PostgreSQL share the books exactly. */
describe('three backend processes on one PostgreSQL', () => {
  let fake: FakeDeepSeek;
  let database: TestDatabase;
  let backends: BackendProcess[];

  beforeAll(async () => {
    fake = await FakeDeepSeek.start();
    database = await createTestDatabase();
    await insertTestModel(database.pool(), { id: 'flat-50', requestCredits: 50, requestFields: {} });
    backends = [];
    for (let index = 0; index < 3; index += 1) {
      backends.push(
        await startTestBackend(database.url, {
          DEEPSEEK_API_KEY: 'sk-fake',
          DEEPSEEK_BASE_URL: fake.url,
          RATE_LIMIT_CHAT_PER_MIN: '1000',
        }),
      );
    }
    // Booting together, they also migrate together: the advisory lock makes them take turns.
    await Promise.all(backends.map((backend) => waitForOk(backend, '/health/ready')));
  });

  afterAll(async () => {
    for (const backend of backends) backend.child.kill('SIGTERM');
    await Promise.all(backends.map((backend) => backend.exited));
    await fake.stop();
    await database.drop();
  });

  it('charges exactly 20 of 60 parallel chats spread over the instances, leaving the balance at 0', async () => {
    const [first] = backends;
    if (!first) throw new Error('no backend');
    const { accessToken, user } = (
      await request(first.baseUrl)
        .post('/api/auth/register')
        .send({ email: 'shared@example.test', password: 'correct horse battery' })
        .expect(201)
    ).body as { accessToken: string; user: { id: string } };
    fake.behave({ kind: 'answer', content: 'ok', delayMs: 100 });

    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        request(backends[index % 3]?.baseUrl ?? '')
          .post('/api/ai/chat')
          .set('Authorization', `Bearer ${accessToken}`)
          .send({ prompt: `race ${index}`, model: 'flat-50' })
          .then((response) => response.status),
      ),
    );

    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 403 || status === 409)).toBe(true);
    expect(await accountOf(database.pool(), user.id)).toEqual({ balance: 0, held: 0 });
    expect(fake.requests.length).toBeLessThanOrEqual(20);
    await expectCreditInvariants(database.pool());
  });
});
