import { randomBytes } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { DatabaseRole } from '#src/database/database-roles.js';
import { SqlState } from '#src/database/sql-state.js';
import { accessTokenFor } from '#test/support/access-tokens.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf, newAdmin, newUser, type TestUser } from '#test/support/factories.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

/** The runtime role here is a login of its own, connected exactly as the backend's pool connects. */
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
    await runtime.query(
      `SELECT * FROM admin_add_credits(p_actor_token => $1::text, p_user_id => $2::uuid, p_amount => 50::bigint,
                                       p_reason => 'Bonus')`,
      [accessTokenFor(admin.id), bob.id],
    );
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
      ['enable a disabled account', `UPDATE users SET disabled = false WHERE id = $1::uuid`],
      [
        'rewrite a password hash (and sign in as that user)',
        `UPDATE users SET password_hash = 'x' WHERE id = $1::uuid`,
      ],
      [
        'register an admin',
        `INSERT INTO users (email, password_hash, role) VALUES ('mallory-' || $1::text || '@example.test', 'x', 'admin')`,
      ],
      [
        'register with a role at all',
        `INSERT INTO users (email, password_hash, role) VALUES ('eve-' || $1::text || '@example.test', 'x', 'user')`,
      ],
      [
        'register an account with a disabled flag of its choosing',
        `INSERT INTO users (email, password_hash, disabled) VALUES ('oscar-' || $1::text || '@example.test', 'x', false)`,
      ],
      [
        'create an API key with counters of its choosing',
        `INSERT INTO api_keys (user_id, name, prefix, secret_hash, credits_spent) VALUES ($1::uuid, 'k', 'p', '\\x01', 0)`,
      ],
      ['change a price', `UPDATE model_prices SET request_credits = 0 WHERE $1::uuid IS NOT NULL`],
      [
        'read the key access tokens are verified with',
        `SELECT secret FROM access_token_key WHERE $1::uuid IS NOT NULL`,
      ],
      ['verify tokens itself', `SELECT admin_actor_from_token($1::text)`],
      [
        'raise an alert of its own',
        `INSERT INTO webhook_events (type, data) VALUES ('credits.added', jsonb_build_object('userId', $1::uuid))`,
      ],
      ['raise an alert through the outbox function', `SELECT enqueue_webhook_event('credits.low', '{}', $1::text)`],
      ['point an alert endpoint elsewhere', `UPDATE webhook_endpoints SET url = 'http://evil.test/' || $1::text`],
      ['rewrite what an alert says', `UPDATE webhook_events SET data = jsonb_build_object('userId', $1::uuid)`],
      [
        'turn a channel back on',
        `UPDATE channels SET enabled = true, disabled_reason = NULL WHERE $1::uuid IS NOT NULL`,
      ],
      ['swap a channel key', `UPDATE channels SET api_key_ciphertext = 'v1.a.b.c' WHERE $1::uuid IS NOT NULL`],
    ])('cannot %s directly', async (_what, sql) => {
      await expect(runtime.query(sql, [alice.id])).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
      expect(await accountOf(owner, alice.id)).toEqual({ balance: 1000, held: 0 });
      const { rows } = await owner.query(`SELECT role, disabled FROM users WHERE id = $1::uuid`, [alice.id]);
      expect(rows).toEqual([{ role: 'user', disabled: false }]);
    });

    it('logs in as creditgate_app, no superuser, and can become neither the owner nor a superuser', async () => {
      const { rows: owners } = await owner.query<{ owner: string }>('SELECT current_user AS owner');
      const client = await runtime.connect();
      try {
        const { rows } = await client.query(
          `SELECT session_user AS login, current_user AS role, current_setting('is_superuser') AS superuser`,
        );
        expect(rows).toEqual([{ login: 'creditgate_app', role: 'creditgate_app', superuser: 'off' }]);
        const statements = [
          `SET ROLE ${owners[0]?.owner ?? 'postgres'}`,
          'SET ROLE postgres',
          'SET SESSION AUTHORIZATION postgres',
          'ALTER ROLE creditgate_app SUPERUSER',
          'GRANT postgres TO creditgate_app',
        ];
        const outcomes: Record<string, unknown> = {};
        for (const statement of statements) {
          outcomes[statement] = await client.query(statement).then(
            () => 'allowed',
            (error: unknown) => (error as { code?: string }).code,
          );
        }
        expect(outcomes).toEqual(Object.fromEntries(statements.map((sql) => [sql, SqlState.InsufficientPrivilege])));
      } finally {
        client.release();
      }
    });

    it('registers a user as registration does, who gets the role and flags of a new user', async () => {
      const email = `new-${randomBytes(4).toString('hex')}@example.test`;
      const { rows } = await runtime.query(
        `INSERT INTO users (email, password_hash) VALUES ($1::text, 'hash') RETURNING role, disabled`,
        [email],
      );
      expect(rows).toEqual([{ role: 'user', disabled: false }]);
    });
  });

  describe('a revocation is final', () => {
    it('an API key revoked stays revoked: the runtime role can clear or move revoked_at no more', async () => {
      const { rows } = await runtime.query<{ id: string }>(
        `INSERT INTO api_keys (user_id, name, prefix, secret_hash) VALUES ($1::uuid, 'k', 'cg_live_x', $2::bytea)
         RETURNING id`,
        [alice.id, randomBytes(32)],
      );
      const keyId = rows[0]?.id;
      const revoked = await runtime.query(
        'UPDATE api_keys SET revoked_at = now() WHERE id = $1::uuid AND revoked_at IS NULL RETURNING id',
        [keyId],
      );
      expect(revoked.rowCount).toBe(1);

      await expect(
        runtime.query('UPDATE api_keys SET revoked_at = NULL WHERE id = $1::uuid', [keyId]),
      ).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
      await expect(
        runtime.query(`UPDATE api_keys SET revoked_at = now() + interval '1 day' WHERE id = $1::uuid`, [keyId]),
      ).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
      // Revoking again the way the backend does is a no-op, not an error.
      await runtime.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1::uuid AND revoked_at IS NULL', [keyId]);
      await expect(
        runtime.query('SELECT reserve_credits($1::uuid, 1::bigint, 60000, $2::uuid)', [alice.id, keyId]),
      ).rejects.toMatchObject({ code: SqlState.ApiKeyRevoked });
      expect(await accountOf(owner, alice.id)).toEqual({ balance: 1000, held: 0 });
    });

    it('a refresh token once exchanged or revoked stays so', async () => {
      const { rows } = await runtime.query<{ id: string }>(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
         VALUES ($1::uuid, gen_random_uuid(), $2::bytea, now() + interval '1 day') RETURNING id`,
        [alice.id, randomBytes(32)],
      );
      const tokenId = rows[0]?.id;
      await runtime.query('UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1::uuid', [tokenId]);
      await expect(
        runtime.query('UPDATE refresh_tokens SET rotated_at = NULL WHERE id = $1::uuid', [tokenId]),
      ).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
      await runtime.query('UPDATE refresh_tokens SET revoked_at = now() WHERE id = $1::uuid', [tokenId]);
      await expect(
        runtime.query('UPDATE refresh_tokens SET revoked_at = NULL WHERE id = $1::uuid', [tokenId]),
      ).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });

      const { rows: after } = await owner.query(
        'SELECT rotated_at IS NOT NULL AS rotated, revoked_at IS NOT NULL AS revoked FROM refresh_tokens WHERE id = $1::uuid',
        [tokenId],
      );
      expect(after).toEqual([{ rotated: true, revoked: true }]);
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
