import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { DatabaseRole } from '#src/database/database-roles.js';
import { SqlState } from '#src/database/sql-state.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf, newUser } from '#test/support/factories.js';
import { pollUntil } from '#test/support/poll.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

/**
 * The SQL of the spend controls (db/migrations/0012): spend_period_bounds, the one definition of a
 * budget's period (UTC calendar days, ISO weeks from Monday, calendar months; a function of a
 * timestamp, so rollovers are tested here without waiting), and the reservation's check, which must
 * see every competing hold however the calls interleave.
 */
describe('spend-control functions (real PostgreSQL)', () => {
  let database: TestDatabase;
  let owner: Pool;
  let runtime: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = database.pool();
    runtime = database.pool({ role: DatabaseRole.Runtime });
  });

  afterEach(async () => {
    await expectCreditInvariants(owner);
  });

  afterAll(async () => {
    await database.drop();
  });

  /** A key of a new user with a budget of `credits` a day. */
  async function keyWithBudget(credits: number): Promise<{ userId: string; keyId: string }> {
    const user = await newUser(runtime);
    const { rows } = await runtime.query<{ id: string }>(
      `INSERT INTO api_keys (user_id, name, prefix, secret_hash, budget_credits, budget_period)
       VALUES ($1::uuid, 'k', 'cg_live_test', $2::bytea, $3::bigint, 'day') RETURNING id`,
      [user.id, randomBytes(32), credits],
    );
    return { userId: user.id, keyId: rows[0]!.id };
  }

  const reserve = (pool: { query: Pool['query'] }, userId: string, keyId: string | null, amount: number) =>
    pool.query<{ hold_id: string | null; refusal: string | null }>(
      `SELECT hold_id, refusal FROM reserve_credits_checked($1::uuid, $2::bigint, 60000, $3::uuid, 'deepseek-flash')`,
      [userId, amount, keyId],
    );

  async function bounds(period: string, at: string): Promise<[string, string]> {
    const { rows } = await runtime.query<{ period_start: Date; period_end: Date }>(
      'SELECT period_start, period_end FROM spend_period_bounds($1::text, $2::timestamptz)',
      [period, at],
    );
    return [rows[0]!.period_start.toISOString(), rows[0]!.period_end.toISOString()];
  }

  it.each([
    // A UTC day, whatever offset the timestamp is written with.
    ['day', '2026-03-14T15:09:26Z', '2026-03-14T00:00:00.000Z', '2026-03-15T00:00:00.000Z'],
    ['day', '2026-03-14T23:59:59.999Z', '2026-03-14T00:00:00.000Z', '2026-03-15T00:00:00.000Z'],
    ['day', '2026-03-15T00:00:00Z', '2026-03-15T00:00:00.000Z', '2026-03-16T00:00:00.000Z'],
    ['day', '2026-03-15T07:30:00+08:00', '2026-03-14T00:00:00.000Z', '2026-03-15T00:00:00.000Z'],
    ['day', '2026-12-31T12:00:00Z', '2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    // ISO weeks run Monday to Monday; 2026-12-31 is a Thursday, its week ends in 2027.
    ['week', '2026-12-31T12:00:00Z', '2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z'],
    ['week', '2026-11-29T23:59:59Z', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
    ['week', '2026-11-30T00:00:00Z', '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z'],
    // Months of every length, and December into January.
    ['month', '2026-12-31T23:59:59.999Z', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['month', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z'],
    ['month', '2028-02-29T10:00:00Z', '2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z'],
    ['month', '2026-01-31T10:00:00Z', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
  ])('%s of %s: [%s, %s)', async (period, at, start, end) => {
    expect(await bounds(period, at)).toEqual([start, end]);
  });

  it('does not depend on the session’s time zone', async () => {
    const client = await runtime.connect();
    try {
      await client.query(`SET TIME ZONE 'Pacific/Kiritimati'`);
      const { rows } = await client.query<{ period_start: Date }>(
        `SELECT period_start FROM spend_period_bounds('day', '2026-03-14T15:09:26Z')`,
      );
      expect(rows[0]!.period_start.toISOString()).toBe('2026-03-14T00:00:00.000Z');
    } finally {
      client.release();
    }
  });

  it('sees a competing hold that commits while it waits: the budget is never overshot', async () => {
    const { userId, keyId } = await keyWithBudget(10);
    const rival = await owner.connect();
    try {
      // The rival reserves the whole budget and has not committed yet when the second reservation starts.
      await rival.query('BEGIN');
      expect((await reserve(rival, userId, keyId, 10)).rows[0]?.refusal).toBeNull();
      const racing = reserve(runtime, userId, keyId, 10);
      await pollUntil(
        async () =>
          (
            await owner.query<{ waiting: number }>(
              `SELECT 1 AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%reserve_credits_checked%'`,
            )
          ).rows[0],
        5000,
        'the second reservation to wait for the account row',
      );
      await rival.query('COMMIT');

      expect((await racing).rows[0]).toEqual({ hold_id: null, refusal: 'key_budget' });
    } finally {
      rival.release();
    }
    expect(await accountOf(owner, userId)).toEqual({ balance: 1000, held: 10 });
    await owner.query(`SELECT release_hold(id) FROM credit_holds WHERE user_id = $1::uuid`, [userId]);
  });

  it('refuses through 0002’s reserve_credits too (CG403), so no way to reserve skips a budget', async () => {
    const { userId, keyId } = await keyWithBudget(10);

    await expect(
      runtime.query('SELECT reserve_credits($1::uuid, 11::bigint, 60000, $2::uuid)', [userId, keyId]),
    ).rejects.toMatchObject({ code: SqlState.SpendControlRefused });
    await owner.query(`UPDATE api_keys SET models = ARRAY['deepseek-flash'] WHERE id = $1::uuid`, [keyId]);
    // Without a model, a key with a model list admits nothing.
    await expect(
      runtime.query('SELECT reserve_credits($1::uuid, 1::bigint, 60000, $2::uuid)', [userId, keyId]),
    ).rejects.toMatchObject({ code: SqlState.SpendControlRefused });
    expect(await accountOf(owner, userId)).toEqual({ balance: 1000, held: 0 });
  });

  it('lets the runtime role change a key’s limits only through update_api_key', async () => {
    const { keyId } = await keyWithBudget(10);

    await expect(
      runtime.query('UPDATE api_keys SET budget_credits = 1000000 WHERE id = $1::uuid', [keyId]),
    ).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
    await expect(
      runtime.query(`UPDATE users SET spend_limit_credits = NULL, spend_limit_period = NULL`),
    ).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
  });

  it('refuses a period it does not know', async () => {
    await expect(bounds('year', '2026-03-14T00:00:00Z')).rejects.toMatchObject({
      code: SqlState.InvalidParameterValue,
    });
  });
});
