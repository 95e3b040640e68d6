import request from 'supertest';
import { waitForOk, startTestBackend } from '#test/support/backend-process.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { pollUntil } from '#test/support/poll.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

/**
 * SIGTERM during in-flight chats: the backend stops accepting, lets the chats finish (bounded by
 * their own AI_TIMEOUT_MS deadline), settles or releases every hold, then exits.
 */
describe('graceful shutdown (real process)', () => {
  let fake: FakeDeepSeek;
  let database: TestDatabase;

  beforeAll(async () => {
    fake = await FakeDeepSeek.start();
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await fake.stop();
    await database.drop();
  });

  it('answers every in-flight chat, settles or releases every hold, refuses new work, and exits', async () => {
    const backend = await startTestBackend(database.url, {
      DEEPSEEK_API_KEY: 'sk-fake',
      DEEPSEEK_BASE_URL: fake.url,
      AI_TIMEOUT_MS: '2500',
    });
    await waitForOk(backend, '/health/ready');
    const { accessToken } = (
      await request(backend.baseUrl)
        .post('/api/auth/register')
        .send({ email: 'draining@example.test', password: 'correct horse battery' })
        .expect(201)
    ).body as { accessToken: string };
    const chat = (prompt: string) =>
      request(backend.baseUrl)
        .post('/api/ai/chat')
        .set('Authorization', `Bearer ${accessToken}`)
        .send({ prompt, maxTokens: 50 })
        .then(
          (response) => ({ status: response.status, code: (response.body as { code?: string }).code }),
          (error: unknown) => ({ status: 0, code: String(error) }),
        );

    // Three answers that take 1 s upstream, and one call that never answers.
    fake.behave({ kind: 'answer', content: 'finished in time', delayMs: 1000 });
    const finishing = [chat('one'), chat('two'), chat('three')];
    await pollUntil(() => (fake.requests.length === 3 ? true : undefined), 5000, 'three calls upstream');
    fake.behave({ kind: 'hang' });
    const hanging = chat('never answered');
    await pollUntil(() => (fake.requests.length === 4 ? true : undefined), 5000, 'the hanging call upstream');

    const terminatedAt = Date.now();
    backend.child.kill('SIGTERM');
    // New connections are refused once shutdown has begun.
    await pollUntil(
      async () => {
        try {
          await fetch(`${backend.baseUrl}/health/live`, { signal: AbortSignal.timeout(500) });
          return undefined;
        } catch {
          return true;
        }
      },
      2000,
      'the listener to close',
    );

    expect(await Promise.all(finishing)).toEqual([
      { status: 200, code: undefined },
      { status: 200, code: undefined },
      { status: 200, code: undefined },
    ]);
    expect(await hanging).toEqual({ status: 500, code: 'AI_PROVIDER_TIMEOUT' });
    await backend.exited;
    expect(Date.now() - terminatedAt).toBeLessThan(2500 + 5000);

    const owner = database.pool();
    const { rows } = await owner.query<{ status: string; n: number }>(
      `SELECT h.status, count(*)::int AS n FROM credit_holds h GROUP BY h.status ORDER BY h.status`,
    );
    expect(rows).toEqual([
      { status: 'released', n: 1 },
      { status: 'settled', n: 3 },
    ]);
    await expectCreditInvariants(owner);
  });
});
