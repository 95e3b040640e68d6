import request from 'supertest';
import { DatabaseRole } from '#src/database/database-roles.js';
import { waitForOk, startTestBackend } from '#test/support/backend-process.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf, newUser } from '#test/support/factories.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { pollUntil } from '#test/support/poll.js';
import { createTestApp } from '#test/support/test-app.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

/**
 * SPEC §3.6: a process killed between reserve and settle leaves a hold that expires
 * (AI_TIMEOUT_MS + 30 s after it was made) and is released by the sweeper, so no credit is lost.
 */
describe('a chat whose backend is killed mid-call', () => {
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

  it('leaves a hold that the next instance’s sweeper releases once it expires', async () => {
    const backend = await startTestBackend(database.url, {
      DEEPSEEK_API_KEY: 'sk-fake',
      DEEPSEEK_BASE_URL: fake.url,
      AI_TIMEOUT_MS: '20000',
    });
    await waitForOk(backend, '/health/ready');
    const register = await request(backend.baseUrl)
      .post('/api/auth/register')
      .send({ email: 'killed@example.test', password: 'correct horse battery' })
      .expect(201);
    const { accessToken, user } = register.body as { accessToken: string; user: { id: string } };
    fake.behave({ kind: 'hang' });

    const inFlight = request(backend.baseUrl)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${accessToken}`)
      .send({ prompt: 'You will never answer this' })
      .then(
        (response) => response.status,
        () => 'connection lost',
      );
    await pollUntil(() => (fake.requests.length === 1 ? true : undefined), 5000, 'the call to reach upstream');
    backend.child.kill('SIGKILL');
    await backend.exited;
    expect(await inFlight).toBe('connection lost');

    const owner = database.pool();
    const { rows: holds } = await owner.query<{ id: string; amount: string; ttl_seconds: number }>(
      `SELECT id, amount, extract(epoch FROM expires_at - created_at)::int AS ttl_seconds
         FROM credit_holds WHERE user_id = $1::uuid AND status = 'open'`,
      [user.id],
    );
    expect(holds).toHaveLength(1);
    expect(holds[0]?.ttl_seconds).toBe(20 + 30);
    expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: Number(holds[0]?.amount) });

    // 50 s pass (instead of waiting them out): the hold is now past its expiry.
    await owner.query(`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [
      holds[0]?.id,
    ]);
    const next = await createTestApp({ database });
    try {
      // The sweep at boot has run before the app answers.
      const { rows } = await owner.query<{ status: string }>('SELECT status FROM credit_holds WHERE id = $1::uuid', [
        holds[0]?.id,
      ]);
      expect(rows).toEqual([{ status: 'expired' }]);
      expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 0 });
      await expectCreditInvariants(owner);
    } finally {
      await next.close();
    }
  });

  it('is also swept while the app runs, at the configured interval', async () => {
    const next = await createTestApp({ database, env: { HOLD_SWEEP_INTERVAL_MS: '200' } });
    try {
      const user = await newUser(database.pool({ role: DatabaseRole.Runtime }));
      const { rows } = await database
        .pool({ role: DatabaseRole.Runtime })
        .query<{ hold: string }>('SELECT reserve_credits($1::uuid, 300::bigint, 1::integer) AS hold', [user.id]);

      await pollUntil(
        async () => ((await accountOf(database.pool(), user.id)).held === 0 ? true : undefined),
        3000,
        'the sweeper to release the expired hold',
      );
      const { rows: status } = await database
        .pool()
        .query('SELECT status FROM credit_holds WHERE id = $1::uuid', [rows[0]?.hold]);
      expect(status).toEqual([{ status: 'expired' }]);
      await expectCreditInvariants(database.pool());
    } finally {
      await next.close();
    }
  });
});
