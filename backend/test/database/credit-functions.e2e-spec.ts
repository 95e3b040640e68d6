import type { Pool } from 'pg';
import { DatabaseRole } from '#src/database/database-roles.js';
import { SqlState } from '#src/database/sql-state.js';
import { accessTokenFor } from '#test/support/access-tokens.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf, newAdmin, newUser } from '#test/support/factories.js';
import { creditsRepositoryOn, usageEntry } from '#test/support/credits-on-pool.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

describe('credit functions (real PostgreSQL)', () => {
  let database: TestDatabase;
  let owner: Pool;
  let runtime: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = database.pool({ max: 60 });
    runtime = database.pool({ role: DatabaseRole.Runtime, max: 60 });
  });

  afterEach(async () => {
    await expectCreditInvariants(owner);
  });

  afterAll(async () => {
    await database.drop();
  });

  /** `reserve_credits` itself (0002): the hold's id, or null when too little is available. */
  const reserve = async (userId: string, amount: number, ttlMs = 60_000, apiKeyId: string | null = null) =>
    (
      await runtime.query<{ hold: string | null }>(
        'SELECT reserve_credits($1::uuid, $2::bigint, $3::integer, $4::uuid) AS hold',
        [userId, amount, ttlMs, apiKeyId],
      )
    ).rows[0]?.hold ?? null;
  /** A settle as the chat service makes it (settle_hold_logged, with its usage row). */
  const settle = async (holdId: string | null, charge: number) => {
    const userId = (
      await owner.query<{ user_id: string }>('SELECT user_id FROM credit_holds WHERE id = $1::uuid', [holdId])
    ).rows[0]?.user_id;
    return creditsRepositoryOn(runtime).settle(holdId ?? '', charge, 'AI request', usageEntry(userId ?? ''));
  };

  describe('signup trigger', () => {
    it('grants 1000 credits with one ledger row to a new user', async () => {
      const user = await newUser(runtime);

      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 0 });
      const { rows } = await runtime.query(
        'SELECT kind, amount, balance_after, reason FROM credit_ledger WHERE user_id = $1::uuid',
        [user.id],
      );
      expect(rows).toEqual([{ kind: 'signup_grant', amount: '1000', balance_after: '1000', reason: 'Signup grant' }]);
    });

    it('grants the amount configured at boot (SIGNUP_CREDITS)', async () => {
      await database.applySettings({ signupCredits: 250 });
      try {
        const user = await newUser(runtime);
        expect(await accountOf(runtime, user.id)).toEqual({ balance: 250, held: 0 });
      } finally {
        await database.applySettings();
      }
    });

    it('treats e-mail addresses that differ only in case as the same', async () => {
      await newUser(runtime, { email: 'Case@Example.test' });
      await expect(newUser(runtime, { email: 'case@example.TEST' })).rejects.toMatchObject({
        code: SqlState.UniqueViolation,
      });
    });
  });

  describe('spend_credits_if_enough', () => {
    it('lets exactly k of 50 concurrent callers through and never below zero', async () => {
      const user = await newUser(runtime);
      // 1000 credits, 30 per call: 33 calls fit (990), the other 17 must fail.
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          owner
            .query<{ ok: boolean }>('SELECT spend_credits_if_enough($1::uuid, $2::bigint) AS ok', [user.id, 30])
            .then(({ rows }) => rows[0]!.ok),
        ),
      );

      expect(results.filter(Boolean)).toHaveLength(33);
      expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 990 });
      // The bare function moves credits into `held` without a hold row; undo that for the invariants.
      await owner.query('UPDATE credit_accounts SET held = 0 WHERE user_id = $1::uuid', [user.id]);
    });

    it('is not callable by the runtime role on its own (only through reserve_credits)', async () => {
      const user = await newUser(runtime);
      await expect(
        runtime.query('SELECT spend_credits_if_enough($1::uuid, 1::bigint)', [user.id]),
      ).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
    });
  });

  describe('reserve, settle, release, expire', () => {
    it('reserves for exactly k of 50 concurrent requests, each with a hold row', async () => {
      const user = await newUser(runtime);
      const holds = await Promise.all(Array.from({ length: 50 }, () => reserve(user.id, 70)));

      // 1000 / 70 = 14 holds fit.
      expect(holds.filter((hold) => hold !== null)).toHaveLength(14);
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 980 });
      await Promise.all(
        holds.filter((hold) => hold !== null).map((hold) => runtime.query('SELECT release_hold($1::uuid)', [hold])),
      );
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 0 });
    });

    it('settles the actual charge, never more than the hold, with one ledger row', async () => {
      const user = await newUser(runtime);
      const small = await reserve(user.id, 50);
      const capped = await reserve(user.id, 40);

      expect(await settle(small, 12)).toMatchObject({ charged: 12, available: 948 });
      expect(await settle(capped, 999)).toMatchObject({ charged: 40, available: 948 });

      expect(await accountOf(runtime, user.id)).toEqual({ balance: 948, held: 0 });
      const { rows: charges } = await runtime.query(
        `SELECT amount, balance_after FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'charge' ORDER BY id`,
        [user.id],
      );
      expect(charges).toEqual([
        { amount: '-12', balance_after: '988' },
        { amount: '-40', balance_after: '948' },
      ]);
    });

    it('settles a zero charge without a ledger row', async () => {
      const user = await newUser(runtime);
      const hold = await reserve(user.id, 10);
      expect(await settle(hold, 0)).toMatchObject({ charged: 0 });
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 0 });
      const { rows } = await runtime.query(`SELECT 1 FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'charge'`, [
        user.id,
      ]);
      expect(rows).toEqual([]);
    });

    it('closes a hold once: a second settle or a release after settling changes nothing', async () => {
      const user = await newUser(runtime);
      const hold = await reserve(user.id, 10);
      const first = await settle(hold, 5);

      // A retried settle answers the first settlement (0009); settle_hold itself refuses.
      expect(await settle(hold, 9)).toEqual(first);
      await expect(
        runtime.query(`SELECT * FROM settle_hold($1::uuid, 5::bigint, 'AI request')`, [hold]),
      ).rejects.toMatchObject({
        code: SqlState.HoldNotOpen,
      });
      const { rows } = await runtime.query<{ released: boolean }>('SELECT release_hold($1::uuid) AS released', [hold]);
      expect(rows[0]!.released).toBe(false);
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 995, held: 0 });
    });

    it('refuses a usage row whose charge differs from its ledger row', async () => {
      const user = await newUser(runtime);
      const hold = await reserve(user.id, 30);
      const { rows } = await runtime.query<{ ledger_entry_id: string }>(
        `SELECT ledger_entry_id FROM settle_hold($1::uuid, 20::bigint, 'AI request')`,
        [hold],
      );
      await expect(
        runtime.query(
          `INSERT INTO usage_logs (user_id, hold_id, ledger_entry_id, endpoint, model, status, credits_charged)
           VALUES ($1::uuid, $2::uuid, $3::bigint, 'chat', 'deepseek-chat', 'success', 19)`,
          [user.id, hold, rows[0]!.ledger_entry_id],
        ),
      ).rejects.toMatchObject({ code: SqlState.CheckViolation });
      // The honest row goes in, so the books balance again.
      await runtime.query(
        `INSERT INTO usage_logs (user_id, hold_id, ledger_entry_id, endpoint, model, status, credits_charged)
         VALUES ($1::uuid, $2::uuid, $3::bigint, 'chat', 'deepseek-chat', 'success', 20)`,
        [user.id, hold, rows[0]!.ledger_entry_id],
      );
    });

    it('expires holds past their deadline, and only those', async () => {
      const user = await newUser(runtime);
      const stale = await reserve(user.id, 100, 1);
      const fresh = await reserve(user.id, 200, 60_000);
      await owner.query(`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [
        stale,
      ]);

      const { rows } = await runtime.query<{ expired: number }>('SELECT expire_holds() AS expired');
      expect(rows[0]!.expired).toBeGreaterThanOrEqual(1);
      const { rows: statuses } = await owner.query(
        'SELECT id, status FROM credit_holds WHERE id = ANY($1::uuid[]) ORDER BY amount',
        [[stale, fresh]],
      );
      expect(statuses).toEqual([
        { id: stale, status: 'expired' },
        { id: fresh, status: 'open' },
      ]);
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 200 });
      await runtime.query('SELECT release_hold($1::uuid)', [fresh]);
    });

    it('lets concurrent sweepers release each expired hold exactly once', async () => {
      const user = await newUser(runtime);
      const holds = await Promise.all(Array.from({ length: 20 }, () => reserve(user.id, 10)));
      await owner.query(`UPDATE credit_holds SET expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`, [
        holds,
      ]);

      const counts = await Promise.all(
        Array.from({ length: 4 }, () =>
          runtime.query<{ expired: number }>('SELECT expire_holds() AS expired').then(({ rows }) => rows[0]!.expired),
        ),
      );
      expect(counts.reduce((sum, count) => sum + count, 0)).toBe(20);
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 0 });
    });

    it('enforces an API key credit limit in the database', async () => {
      const user = await newUser(runtime);
      const { rows } = await runtime.query<{ id: string }>(
        `INSERT INTO api_keys (user_id, name, prefix, secret_hash, credit_limit)
         VALUES ($1::uuid, 'ci', 'cg_live_test', sha256('k1'::bytea), 30) RETURNING id`,
        [user.id],
      );
      const keyId = rows[0]!.id;

      const first = await reserve(user.id, 25, 60_000, keyId);
      await expect(reserve(user.id, 10, 60_000, keyId)).rejects.toMatchObject({ code: SqlState.ApiKeyCreditLimit });
      // The refused reservation left the user's balance untouched.
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 25 });

      await settle(first, 20);
      // 20 of 30 spent: exactly 10 is left on the key.
      const last = await reserve(user.id, 10, 60_000, keyId);
      expect(last).not.toBeNull();
      await expect(reserve(user.id, 1, 60_000, keyId)).rejects.toMatchObject({ code: SqlState.ApiKeyCreditLimit });
      await runtime.query('SELECT release_hold($1::uuid)', [last]);

      await runtime.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1::uuid', [keyId]);
      await expect(reserve(user.id, 1, 60_000, keyId)).rejects.toMatchObject({ code: SqlState.ApiKeyRevoked });
    });
  });

  describe('admin_add_credits', () => {
    /** A recharge as the backend calls it, with the acting admin's access token. */
    const recharge = (token: string, userId: string, amount: number, reason: string, key: string | null = null) =>
      runtime.query<{ ledger_entry_id: string; balance: string; replayed: boolean }>(
        `SELECT ledger_entry_id, balance, replayed
           FROM admin_add_credits(p_actor_token => $1::text, p_user_id => $2::uuid, p_amount => $3::bigint,
                                  p_reason => $4::text, p_idempotency_key => $5::text)`,
        [token, userId, amount, reason, key],
      );

    it('adds credits for an admin, recording actor and reason in the ledger', async () => {
      const admin = await newAdmin(owner);
      const user = await newUser(runtime);

      const { rows } = await recharge(accessTokenFor(admin.id), user.id, 500, 'Invoice 42');
      expect(rows[0]).toMatchObject({ balance: '1500', replayed: false });
      const { rows: ledger } = await runtime.query(
        `SELECT amount, balance_after, reason, actor_id FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'recharge'`,
        [user.id],
      );
      expect(ledger).toEqual([{ amount: '500', balance_after: '1500', reason: 'Invoice 42', actor_id: admin.id }]);
    });

    it('refuses a non-admin’s valid token even when called directly, and changes nothing', async () => {
      const notAdmin = await newUser(runtime);
      const user = await newUser(runtime);
      const token = accessTokenFor(notAdmin.id, 'user');

      await expect(recharge(token, user.id, 500, 'self-service')).rejects.toMatchObject({
        code: SqlState.InsufficientPrivilege,
      });
      await expect(recharge(token, notAdmin.id, 500, 'self-service')).rejects.toMatchObject({
        code: SqlState.InsufficientPrivilege,
      });

      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 0 });
      expect(await accountOf(runtime, notAdmin.id)).toEqual({ balance: 1000, held: 0 });
      const { rows } = await runtime.query(
        `SELECT count(*)::int AS n FROM credit_ledger WHERE kind = 'recharge' AND actor_id = $1::uuid`,
        [notAdmin.id],
      );
      expect(rows[0]).toEqual({ n: 0 });
    });

    it('refuses a disabled admin', async () => {
      const admin = await newAdmin(owner);
      await owner.query('UPDATE users SET disabled = true WHERE id = $1::uuid', [admin.id]);
      const user = await newUser(runtime);
      await expect(recharge(accessTokenFor(admin.id), user.id, 5, 'x')).rejects.toMatchObject({
        code: SqlState.InsufficientPrivilege,
      });
    });

    it.each([0, -5, 1_000_001])('rejects amount %p', async (amount) => {
      const admin = await newAdmin(owner);
      const user = await newUser(runtime);
      await expect(recharge(accessTokenFor(admin.id), user.id, amount, 'x')).rejects.toMatchObject({
        code: SqlState.InvalidParameterValue,
      });
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1000, held: 0 });
    });

    it('rejects an unknown user', async () => {
      const admin = await newAdmin(owner);
      await expect(
        recharge(accessTokenFor(admin.id), '00000000-0000-4000-8000-000000000000', 5, 'x'),
      ).rejects.toMatchObject({ code: SqlState.NoDataFound });
    });

    it('adds once per idempotency key, even for concurrent retries', async () => {
      const admin = await newAdmin(owner);
      const user = await newUser(runtime);
      const token = accessTokenFor(admin.id);
      const call = () => recharge(token, user.id, 300, 'Top-up', 'key-1').then(({ rows }) => rows[0]!);

      const results = await Promise.all(Array.from({ length: 8 }, call));

      expect(new Set(results.map((result) => result.ledger_entry_id)).size).toBe(1);
      expect(results.filter((result) => !result.replayed)).toHaveLength(1);
      expect(await accountOf(runtime, user.id)).toEqual({ balance: 1300, held: 0 });
      await expect(recharge(token, user.id, 301, 'Top-up', 'key-1')).rejects.toMatchObject({
        code: SqlState.IdempotencyKeyReused,
      });
    });
  });
});
