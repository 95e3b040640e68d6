import type { Pool } from 'pg';
import { ADMIN_ACCESS_LOCK_KEY, DatabaseRole } from '#src/database/database-roles.js';
import { SqlState } from '#src/database/sql-state.js';
import { accessTokenFor, adminClaims, handMadeToken } from '#test/support/access-tokens.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf, newAdmin, newUser, type TestUser } from '#test/support/factories.js';
import { createTestDatabase, TEST_JWT_SECRET, type TestDatabase } from '#test/support/test-database.js';

const HS256 = { alg: 'HS256', typ: 'JWT' };
const now = () => Math.floor(Date.now() / 1000);

/**
 * The admin functions' own check (SPEC §2: "checked by the route guard and again inside the SQL
 * function"), as an attacker holding the runtime login would meet it: an admin's id is no use
 * without a token signed with the key only the owner can read.
 */
describe('admin functions verify the access token themselves (runtime login)', () => {
  let database: TestDatabase;
  let owner: Pool;
  let runtime: Pool;
  let admin: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = database.pool();
    runtime = database.pool({ role: DatabaseRole.Runtime });
    admin = await newAdmin(owner);
  });

  afterEach(async () => {
    await expectCreditInvariants(owner);
  });

  afterAll(async () => {
    await database.drop();
  });

  const recharge = (token: string | null, userId: string) =>
    runtime.query<{ balance: string }>(
      `SELECT balance FROM admin_add_credits(p_actor_token => $1::text, p_user_id => $2::uuid, p_amount => 100::bigint,
                                             p_reason => 'top-up')`,
      [token, userId],
    );

  async function rechargesOf(userId: string): Promise<number> {
    const { rows } = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'recharge'`,
      [userId],
    );
    return rows[0]?.n ?? -1;
  }

  it('credits with a valid admin token, and records that admin as the actor', async () => {
    const user = await newUser(runtime);

    const { rows } = await recharge(accessTokenFor(admin.id), user.id);

    expect(rows).toEqual([{ balance: '1100' }]);
    const { rows: ledger } = await owner.query(
      'SELECT actor_id FROM credit_ledger WHERE user_id = $1::uuid AND kind = $2',
      [user.id, 'recharge'],
    );
    expect(ledger).toEqual([{ actor_id: admin.id }]);
  });

  it.each<[string, (adminId: string) => string | null]>([
    ['no token', () => null],
    ['an empty token', () => ''],
    ['the admin’s id in place of a token', (adminId) => adminId],
    ['a token signed with another secret', (adminId) => accessTokenFor(adminId, 'admin', 'x'.repeat(48))],
    ['a token with its signature altered', (adminId) => `${accessTokenFor(adminId).slice(0, -2)}AA`],
    ['a token without a signature', (adminId) => accessTokenFor(adminId).replace(/[^.]+$/, '')],
    ['a token with a fourth part', (adminId) => `${accessTokenFor(adminId)}.x`],
    ['alg none', (adminId) => handMadeToken({ alg: 'none', typ: 'JWT' }, adminClaims(adminId), null)],
    [
      'alg none with an HS256 signature',
      (adminId) => handMadeToken({ alg: 'none' }, adminClaims(adminId), TEST_JWT_SECRET),
    ],
    ['alg HS512 in the header', (adminId) => handMadeToken({ alg: 'HS512' }, adminClaims(adminId), TEST_JWT_SECRET)],
    [
      'an expired token',
      (adminId) => handMadeToken(HS256, { ...adminClaims(adminId), exp: now() - 1 }, TEST_JWT_SECRET),
    ],
    [
      'a token without exp',
      (adminId) => handMadeToken(HS256, { ...adminClaims(adminId), exp: undefined }, TEST_JWT_SECRET),
    ],
    ['exp as a string', (adminId) => handMadeToken(HS256, { ...adminClaims(adminId), exp: 'never' }, TEST_JWT_SECRET)],
    [
      'a token not valid yet (nbf)',
      (adminId) => handMadeToken(HS256, { ...adminClaims(adminId), nbf: now() + 600 }, TEST_JWT_SECRET),
    ],
    [
      'a token for another audience',
      (adminId) => handMadeToken(HS256, { ...adminClaims(adminId), aud: 'another-api' }, TEST_JWT_SECRET),
    ],
    [
      'a token without an audience',
      (adminId) => handMadeToken(HS256, { ...adminClaims(adminId), aud: undefined }, TEST_JWT_SECRET),
    ],
    [
      'a token from another issuer',
      (adminId) => handMadeToken(HS256, { ...adminClaims(adminId), iss: 'someone-else' }, TEST_JWT_SECRET),
    ],
    ['a subject that is no UUID', () => handMadeToken(HS256, adminClaims('not-a-uuid'), TEST_JWT_SECRET)],
    ['a subject that is no user', () => accessTokenFor('00000000-0000-4000-8000-000000000000')],
    ['signed claims that are no JSON', () => handMadeToken(HS256, 'not json', TEST_JWT_SECRET)],
    ['signed claims that are no object', () => handMadeToken(HS256, '["creditgate"]', TEST_JWT_SECRET)],
  ])('refuses %s with insufficient_privilege, and credits nothing', async (_what, tokenFor) => {
    const user = await newUser(runtime);

    await expect(recharge(tokenFor(admin.id), user.id)).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });

    expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 0 });
    expect(await rechargesOf(user.id)).toBe(0);
  });

  it('refuses a signed token whose claims were swapped for an admin’s', async () => {
    const user = await newUser(runtime);
    const [header, , signature] = accessTokenFor(user.id, 'user').split('.');
    const claims = Buffer.from(JSON.stringify(adminClaims(admin.id))).toString('base64url');

    await expect(recharge(`${header}.${claims}.${signature}`, user.id)).rejects.toMatchObject({
      code: SqlState.InsufficientPrivilege,
    });
    expect(await accountOf(owner, user.id)).toEqual({ balance: 1000, held: 0 });
  });

  it.each([
    ['demoted', `UPDATE users SET role = 'user' WHERE id = $1::uuid`],
    ['disabled', 'UPDATE users SET disabled = true WHERE id = $1::uuid'],
  ])('refuses the still-unexpired token of an admin %s since it was issued', async (_what, change) => {
    const former = await newAdmin(owner);
    const token = accessTokenFor(former.id);
    const user = await newUser(runtime);
    await recharge(token, user.id);

    await owner.query(change, [former.id]);

    await expect(recharge(token, user.id)).rejects.toMatchObject({ code: SqlState.InsufficientPrivilege });
    expect(await accountOf(owner, user.id)).toEqual({ balance: 1100, held: 0 });
  });

  it('refuses every token once the stored key is another (JWT_SECRET changed at boot)', async () => {
    const user = await newUser(runtime);
    await database.applySettings({ accessTokenSecret: 'y'.repeat(48) });
    try {
      await expect(recharge(accessTokenFor(admin.id), user.id)).rejects.toMatchObject({
        code: SqlState.InsufficientPrivilege,
      });
      await recharge(accessTokenFor(admin.id, 'admin', 'y'.repeat(48)), user.id);
    } finally {
      await database.applySettings();
    }
    expect(await accountOf(owner, user.id)).toEqual({ balance: 1100, held: 0 });
  });

  describe('admin_set_user_access', () => {
    const setAccess = (token: string, userId: string, role: string) =>
      runtime.query(
        `SELECT * FROM admin_set_user_access(p_actor_token => $1::text, p_user_id => $2::uuid, p_role => $3::text,
                                             p_disabled => NULL, p_reason => 'test')`,
        [token, userId, role],
      );

    it('cannot make a user an admin with a forged token, and can with an admin’s', async () => {
      const user = await newUser(runtime);

      await expect(setAccess(accessTokenFor(user.id, 'admin', 'z'.repeat(48)), user.id, 'admin')).rejects.toMatchObject(
        {
          code: SqlState.InsufficientPrivilege,
        },
      );
      await expect(setAccess(accessTokenFor(user.id, 'user'), user.id, 'admin')).rejects.toMatchObject({
        code: SqlState.InsufficientPrivilege,
      });
      const { rows: before } = await owner.query('SELECT role FROM users WHERE id = $1::uuid', [user.id]);
      expect(before).toEqual([{ role: 'user' }]);

      expect((await setAccess(accessTokenFor(admin.id), user.id, 'admin')).rows).toEqual([
        { role: 'admin', disabled: false },
      ]);
      const { rows: audit } = await owner.query(
        `SELECT actor_id FROM audit_log WHERE target_id = $1::text AND action = 'user.access_changed'`,
        [user.id],
      );
      expect(audit).toEqual([{ actor_id: admin.id }]);
    });

    it('serialises on the advisory-lock key named in database-roles.ts', async () => {
      const { rows } = await owner.query<{ source: string }>(
        `SELECT prosrc AS source FROM pg_proc WHERE proname = 'admin_set_user_access'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.source).toContain(`CONSTANT bigint := ${ADMIN_ACCESS_LOCK_KEY}`);
    });
  });

  describe('admin_set_model_price', () => {
    const setPrice = (token: string, requestCredits: number) =>
      runtime.query(
        `SELECT request_credits FROM admin_set_model_price(
           p_actor_token => $1::text, p_model => 'demo-chat', p_enabled => true, p_request_credits => $2::bigint,
           p_input_per_1k => 2.8, p_cached_input_per_1k => 2.8, p_output_per_1k => 4.2, p_off_peak_percent => 100,
           p_default_output_tokens => NULL, p_reason => 'test')`,
        [token, requestCredits],
      );

    it('changes no price for a forged token, and does for an admin’s', async () => {
      await expect(setPrice(handMadeToken({ alg: 'none' }, adminClaims(admin.id), null), 0)).rejects.toMatchObject({
        code: SqlState.InsufficientPrivilege,
      });
      const { rows: before } = await owner.query(`SELECT request_credits FROM model_prices WHERE model = 'demo-chat'`);
      expect(before).toEqual([{ request_credits: '1' }]);

      expect((await setPrice(accessTokenFor(admin.id), 2)).rows).toEqual([{ request_credits: '2' }]);
    });
  });
});
