import type { Pool } from 'pg';
import { DatabaseRole } from '#src/database/database-roles.js';
import { SqlState } from '#src/database/sql-state.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf, newUser } from '#test/support/factories.js';
import { pollUntil } from '#test/support/poll.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

/**
 * Migrations 0007 and 0009: each step of a billed chat in one call, with the guarantees of the steps
 * it folds; a settle may be retried safely.
 */
describe('one-call billing steps (real PostgreSQL)', () => {
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

  const reserve = async (userId: string, amount: number) =>
    (
      await runtime.query<{ hold_id: string | null; available: string }>(
        'SELECT hold_id, available FROM reserve_credits_checked($1::uuid, $2::bigint, 60000, NULL::uuid)',
        [userId, amount],
      )
    ).rows[0]!;
  const settle = (holdId: string, charge: number) =>
    runtime.query<{ usage_id: string; charged: string; available: string }>(
      `SELECT usage_id, charged, available
         FROM settle_hold_logged($1::uuid, $2::bigint, 'AI request', 'req-1', 'chat', 'deepseek-chat', 'success',
                                 12, 34, 56, 7, 'preview')`,
      [holdId, charge],
    );
  const release = (holdId: string) =>
    runtime.query<{ usage_id: string }>(
      `SELECT release_hold_logged($1::uuid, 'req-2', 'openai', 'deepseek-chat', 'timeout', 'AI_PROVIDER_TIMEOUT',
                                  12, 0, 30000, 7, 'preview') AS usage_id`,
      [holdId],
    );
  const usageOf = async (userId: string): Promise<Record<string, unknown>[]> =>
    (
      await owner.query<Record<string, unknown>>(
        `SELECT hold_id, ledger_entry_id, request_id, endpoint, status, error_code, credits_charged, prompt_tokens,
                completion_tokens, latency_ms FROM usage_logs WHERE user_id = $1::uuid`,
        [userId],
      )
    ).rows;

  it('reserves when the quick read shows enough, and says what it saw when it does not', async () => {
    const user = await newUser(runtime);

    const held = await reserve(user.id, 400);
    const refused = await reserve(user.id, 601);

    expect(held).toEqual({ hold_id: expect.any(String) as string, available: '1000' });
    expect(refused).toEqual({ hold_id: null, available: '600' });
    expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 400 });
    await release(held.hold_id!);
  });

  it('tells a lost race (the read said enough) from too few credits', async () => {
    const user = await newUser(runtime);
    const rival = await owner.connect();
    try {
      // The rival holds the account row: the quick read still sees 1000, the guarded UPDATE waits.
      await rival.query('BEGIN');
      await rival.query('SELECT 1 FROM credit_accounts WHERE user_id = $1::uuid FOR UPDATE', [user.id]);
      const racing = reserve(user.id, 700);
      await pollUntil(
        async () =>
          (
            await owner.query<{ waiting: number }>(
              `SELECT 1 AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%reserve_credits_checked%'`,
            )
          ).rows[0],
        5000,
        'the reservation to wait for the row lock',
      );
      await rival.query(`SELECT reserve_credits($1::uuid, 700::bigint, 60000)`, [user.id]);
      await rival.query('COMMIT');

      expect(await racing).toEqual({ hold_id: null, available: '1000' });
    } finally {
      rival.release();
    }
    expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 700 });
    const { rows } = await owner.query<{ id: string }>(`SELECT id FROM credit_holds WHERE user_id = $1::uuid`, [
      user.id,
    ]);
    await release(rows[0]!.id);
  });

  it('settles and writes the usage row (the hold’s user, the ledger row) in one transaction', async () => {
    const user = await newUser(runtime);
    const { hold_id: holdId } = await reserve(user.id, 100);

    const { rows } = await settle(holdId!, 30);

    expect(rows).toEqual([{ usage_id: expect.any(String) as string, charged: '30', available: '970' }]);
    expect(await accountOf(owner, user.id)).toEqual({ balance: 970, held: 0 });
    expect(await usageOf(user.id)).toEqual([
      expect.objectContaining({
        hold_id: holdId,
        ledger_entry_id: expect.any(String) as string,
        request_id: 'req-1',
        status: 'success',
        credits_charged: '30',
        prompt_tokens: 12,
        completion_tokens: 34,
        latency_ms: 56,
      }),
    ]);
  });

  it('charges nothing and logs nothing for a hold that is no longer open', async () => {
    const user = await newUser(runtime);
    const { hold_id: holdId } = await reserve(user.id, 100);
    await release(holdId!);

    await expect(settle(holdId!, 30)).rejects.toMatchObject({ code: SqlState.HoldNotOpen });

    expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 0 });
    expect(await usageOf(user.id)).toHaveLength(1);
  });

  it('answers a retried settle of a settled hold with the first settlement, charging nothing more', async () => {
    const user = await newUser(runtime);
    const { hold_id: holdId } = await reserve(user.id, 100);
    const first = (await settle(holdId!, 30)).rows[0];

    const retried = (await settle(holdId!, 80)).rows[0];

    expect(retried).toEqual(first);
    expect(await accountOf(owner, user.id)).toEqual({ balance: 970, held: 0 });
    expect(await usageOf(user.id)).toHaveLength(1);
  });

  it('records the error code of a charged stream that broke after content was delivered', async () => {
    const user = await newUser(runtime);
    const { hold_id: holdId } = await reserve(user.id, 100);

    await runtime.query(
      `SELECT * FROM settle_hold_logged(p_hold_id => $1::uuid, p_charge => 12::bigint, p_reason => 'AI request',
                                        p_request_id => 'req-3', p_endpoint => 'openai', p_model => 'deepseek-chat',
                                        p_status => 'timeout', p_prompt_tokens => 1, p_completion_tokens => 2,
                                        p_latency_ms => 3, p_prompt_chars => 4, p_prompt_preview => 'cut',
                                        p_error_code => 'AI_PROVIDER_TIMEOUT')`,
      [holdId],
    );

    expect(await usageOf(user.id)).toEqual([
      expect.objectContaining({ status: 'timeout', error_code: 'AI_PROVIDER_TIMEOUT', credits_charged: '12' }),
    ]);
  });

  it('refuses a charge on a usage row whose status says nothing was delivered (a refused attempt)', async () => {
    const user = await newUser(runtime);
    const { hold_id: holdId } = await reserve(user.id, 100);

    await expect(
      runtime.query(
        `SELECT * FROM settle_hold_logged(p_hold_id => $1::uuid, p_charge => 12::bigint, p_reason => 'AI request',
                                          p_request_id => 'req-4', p_endpoint => 'chat', p_model => 'deepseek-chat',
                                          p_status => 'insufficient_credits', p_prompt_tokens => 1, p_completion_tokens => 0,
                                          p_latency_ms => 3, p_prompt_chars => 4, p_prompt_preview => 'x')`,
        [holdId],
      ),
    ).rejects.toMatchObject({ code: SqlState.CheckViolation });
    expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 100 });
    await release(holdId!);
  });

  it('releases the whole hold with a 0-credit usage row', async () => {
    const user = await newUser(runtime);
    const { hold_id: holdId } = await reserve(user.id, 100);

    await release(holdId!);

    expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 0 });
    expect(await usageOf(user.id)).toEqual([
      expect.objectContaining({
        hold_id: holdId,
        status: 'timeout',
        error_code: 'AI_PROVIDER_TIMEOUT',
        credits_charged: '0',
      }),
    ]);
  });
});
