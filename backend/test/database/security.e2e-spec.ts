import type { Pool, PoolClient } from 'pg';
import { DatabaseRole } from '#src/database/database-roles.js';
import { SqlState } from '#src/database/sql-state.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf, newAdmin, newUser, type TestUser } from '#test/support/factories.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

describe('database security: grants, append-only ledger, row-level security', () => {
  let database: TestDatabase;
  let owner: Pool;
  let runtime: Pool;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = database.pool();
    runtime = database.pool({ role: DatabaseRole.Runtime });
    alice = await newUser(runtime);
    bob = await newUser(runtime);
    const admin = await newAdmin(owner);
    await runtime.query(`SELECT * FROM admin_add_credits($1::uuid, $2::uuid, 50::bigint, 'Bonus')`, [admin.id, bob.id]);
  });

  afterAll(async () => {
    await expectCreditInvariants(owner);
    await database.drop();
  });

  describe('the runtime role', () => {
    it.each([
      ['UPDATE a balance', `UPDATE credit_accounts SET balance = balance + 1000000 WHERE user_id = $1::uuid`],
      ['UPDATE held credits', `UPDATE credit_accounts SET held = 0 WHERE user_id = $1::uuid`],
      ['INSERT an account', `INSERT INTO credit_accounts (user_id, balance) VALUES ($1::uuid, 5)`],
      ['DELETE an account', `DELETE FROM credit_accounts WHERE user_id = $1::uuid`],
      [
        'INSERT a ledger row',
        `INSERT INTO credit_ledger (user_id, kind, amount, balance_after, reason) VALUES ($1::uuid, 'signup_grant', 5, 5, 'x')`,
      ],
      ['UPDATE a ledger row', `UPDATE credit_ledger SET amount = 1 WHERE user_id = $1::uuid`],
      ['DELETE ledger rows', `DELETE FROM credit_ledger WHERE user_id = $1::uuid`],
      ['INSERT a hold', `INSERT INTO credit_holds (user_id, amount, expires_at) VALUES ($1::uuid, 5, now())`],
      ['UPDATE a hold', `UPDATE credit_holds SET status = 'released' WHERE user_id = $1::uuid`],
      ['make itself admin', `UPDATE users SET role = 'admin' WHERE id = $1::uuid`],
      ['change a price', `UPDATE model_prices SET request_credits = 0 WHERE $1::uuid IS NOT NULL`],
    ])('cannot %s directly', async (_what, sql) => {
      await expect(runtime.query(sql, [alice.id])).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
      expect(await accountOf(owner, alice.id)).toEqual({ balance: 1000, held: 0 });
    });
  });

  it('keeps the ledger append-only even for the owner', async () => {
    await expect(
      owner.query('UPDATE credit_ledger SET amount = 1 WHERE user_id = $1::uuid', [alice.id]),
    ).rejects.toMatchObject({
      code: SqlState.InsufficientPrivilege,
    });
    await expect(owner.query('DELETE FROM credit_ledger WHERE user_id = $1::uuid', [alice.id])).rejects.toMatchObject({
      code: SqlState.InsufficientPrivilege,
    });
    await expect(owner.query('TRUNCATE credit_ledger CASCADE')).rejects.toMatchObject({
      code: SqlState.InsufficientPrivilege,
    });
  });

  it('refuses a balance below zero through a CHECK constraint, not only code', async () => {
    await expect(
      owner.query('UPDATE credit_accounts SET balance = -1 WHERE user_id = $1::uuid', [alice.id]),
    ).rejects.toMatchObject({
      code: SqlState.CheckViolation,
    });
    await expect(
      owner.query('UPDATE credit_accounts SET held = balance + 1 WHERE user_id = $1::uuid', [alice.id]),
    ).rejects.toMatchObject({
      code: SqlState.CheckViolation,
    });
  });

  describe('row-level security for a user-scoped session', () => {
    async function asUser<T>(userId: string | null, work: (client: PoolClient) => Promise<T>): Promise<T> {
      const client = await runtime.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL ROLE ${DatabaseRole.UserScoped}`);
        if (userId !== null) await client.query(`SELECT set_config('app.user_id', $1::text, true)`, [userId]);
        return await work(client);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    }

    it.each(['credit_ledger', 'credit_accounts', 'credit_holds', 'usage_logs'])(
      'an unscoped SELECT on %s returns only the session user’s rows',
      async (table) => {
        const rows = await asUser(
          alice.id,
          async (client) => (await client.query<{ user_id: string }>(`SELECT user_id FROM ${table}`)).rows,
        );
        expect(rows.every((row) => row.user_id === alice.id)).toBe(true);
      },
    );

    it('shows each user exactly their own ledger', async () => {
      const aliceRows = await asUser(
        alice.id,
        async (client) =>
          (await client.query<{ user_id: string; amount: string }>('SELECT user_id, amount FROM credit_ledger')).rows,
      );
      const bobRows = await asUser(
        bob.id,
        async (client) =>
          (await client.query<{ user_id: string; amount: string }>('SELECT user_id, amount FROM credit_ledger')).rows,
      );

      expect(aliceRows).toEqual([{ user_id: alice.id, amount: '1000' }]);
      expect(bobRows).toHaveLength(2);
      expect(bobRows.every((row) => row.user_id === bob.id)).toBe(true);
    });

    it('shows only the session user among users, and nothing without a user', async () => {
      const visible = await asUser(
        alice.id,
        async (client) => (await client.query<{ id: string }>('SELECT id FROM users')).rows,
      );
      expect(visible).toEqual([{ id: alice.id }]);
      const none = await asUser(
        null,
        async (client) => (await client.query<{ id: string }>('SELECT id FROM credit_ledger')).rows,
      );
      expect(none).toEqual([]);
    });

    it('cannot read password hashes or API key hashes', async () => {
      await expect(asUser(alice.id, (client) => client.query('SELECT password_hash FROM users'))).rejects.toMatchObject(
        {
          code: SqlState.InsufficientPrivilege,
        },
      );
      await expect(
        asUser(alice.id, (client) => client.query('SELECT secret_hash FROM api_keys')),
      ).rejects.toMatchObject({
        code: SqlState.InsufficientPrivilege,
      });
    });

    it('cannot write at all', async () => {
      await expect(
        asUser(alice.id, (client) =>
          client.query(
            `INSERT INTO usage_logs (user_id, endpoint, model, status) VALUES ($1::uuid, 'chat', 'm', 'timeout')`,
            [alice.id],
          ),
        ),
      ).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
    });
  });
});
