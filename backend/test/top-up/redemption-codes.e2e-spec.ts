import { createHash } from 'node:crypto';
import request from 'supertest';
import {
  type AuthResponse,
  type CreatedRedemptionCodes,
  ErrorCode,
  type LedgerItem,
  type ListResponse,
  type RedeemCodeResponse,
  type RedemptionBatchView,
} from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

const CODE_FORMAT = /^CG-(?:[A-Z2-7]{4}-){5}[A-Z2-7]{4}$/;

/**
 * Redemption codes (docs/top-up.md): batches made by admins and shown once, stored as hashes; one code
 * credits once whoever races for it; unknown, revoked, used and expired codes refused as the contract
 * says; every credit a ledger row of kind `redeem` and one credits.added alert.
 */
describe('redemption codes', () => {
  let testApp: TestApp;
  let admin: AuthResponse;

  beforeAll(async () => {
    // High enough that the race below (16 attempts from one IP) is not rate-limited; the limit itself
    // is tested in redeem-rate-limit.e2e-spec.ts.
    testApp = await createTestApp({ env: { RATE_LIMIT_REDEEM_PER_MIN: '100' } });
    admin = await registerAdmin(testApp.http, owner());
  });

  afterEach(async () => {
    await expectCreditInvariants(owner());
  });

  afterAll(async () => {
    await testApp.close();
  });

  const owner = () => testApp.database.pool();
  const as = (session: AuthResponse) => ({
    get: (path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${session.accessToken}`),
    post: (path: string) => request(testApp.http).post(path).set('Authorization', `Bearer ${session.accessToken}`),
    delete: (path: string) => request(testApp.http).delete(path).set('Authorization', `Bearer ${session.accessToken}`),
  });
  const createBatch = async (body: Record<string, unknown>): Promise<CreatedRedemptionCodes> =>
    (await as(admin).post('/api/admin/redemption-codes').send(body).expect(201)).body as CreatedRedemptionCodes;
  const redeem = (session: AuthResponse, code: string) => as(session).post('/api/credits/redeem').send({ code });
  const batchView = async (batchId: string): Promise<RedemptionBatchView | undefined> =>
    (
      (await as(admin).get('/api/admin/redemption-codes?limit=100').expect(200))
        .body as ListResponse<RedemptionBatchView>
    ).items.find((batch) => batch.id === batchId);
  const creditsAddedFor = async (userId: string) =>
    (
      await owner().query<{ data: Record<string, unknown> }>(
        `SELECT data FROM webhook_events WHERE type = 'credits.added' AND data ->> 'userId' = $1::text`,
        [userId],
      )
    ).rows.map((row) => row.data);

  it('makes a batch of long random codes, shows them once and stores only their hashes and last four', async () => {
    const { batchId, codes } = await createBatch({ credits: 250, count: 5, note: '  Spring promo for ACME  ' });

    expect(codes).toHaveLength(5);
    expect(new Set(codes).size).toBe(5);
    for (const code of codes) expect(code).toMatch(CODE_FORMAT);

    const { rows } = await owner().query<{ code_hash: Buffer; last4: string }>(
      'SELECT code_hash, last4 FROM redemption_codes WHERE batch_id = $1::uuid ORDER BY id',
      [batchId],
    );
    const expected = codes.map((code) => code.replace(/-/g, ''));
    expect(rows.map((row) => row.code_hash.toString('hex')).sort()).toEqual(
      expected.map((code) => createHash('sha256').update(code).digest('hex')).sort(),
    );
    expect(rows.map((row) => row.last4).sort()).toEqual(expected.map((code) => code.slice(-4)).sort());
    // No column of any table of the batch holds a code in clear.
    const dump = JSON.stringify(
      (await owner().query(`SELECT b.*, c.* FROM redemption_batches b JOIN redemption_codes c ON c.batch_id = b.id`))
        .rows,
    );
    for (const code of codes) expect(dump).not.toContain(code.replace(/-/g, '').slice(3));

    const view = await batchView(batchId);
    expect(view).toMatchObject({
      credits: 250,
      count: 5,
      redeemed: 0,
      unused: 5,
      revoked: 0,
      note: 'Spring promo for ACME',
      expiresAt: null,
      revokedAt: null,
      createdBy: { id: admin.user.id, email: admin.user.email },
    });

    const audit = await owner().query<{ actor_id: string; details: Record<string, unknown>; reason: string }>(
      `SELECT actor_id, details, reason FROM audit_log WHERE action = 'redemption_batch.created' AND target_id = $1::text`,
      [batchId],
    );
    expect(audit.rows).toEqual([
      {
        actor_id: admin.user.id,
        details: { credits: 250, count: 5, expiresAt: null },
        reason: 'Spring promo for ACME',
      },
    ]);
  });

  it('credits a code once when two users race for it 16 times: one 200, fifteen 409, one ledger row, one alert', async () => {
    const [alice, bob] = await Promise.all([registerUser(testApp.http), registerUser(testApp.http)]);
    const { batchId, codes } = await createBatch({ credits: 700, count: 1, note: 'race' });
    const code = codes[0] ?? '';
    const before = { alice: await accountOf(owner(), alice.user.id), bob: await accountOf(owner(), bob.user.id) };

    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, index) => redeem(index % 2 === 0 ? alice : bob, code)),
    );

    const winners = responses.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    const losers = responses.filter((response) => response.status !== 200);
    expect(losers.map((response) => [response.status, (response.body as { code: string }).code])).toEqual(
      Array.from({ length: 15 }, () => [409, ErrorCode.CodeAlreadyRedeemed]),
    );

    const winnerIndex = responses.indexOf(winners[0]!);
    const winner = winnerIndex % 2 === 0 ? alice : bob;
    const after = { alice: await accountOf(owner(), alice.user.id), bob: await accountOf(owner(), bob.user.id) };
    const gained = {
      alice: after.alice.balance - before.alice.balance,
      bob: after.bob.balance - before.bob.balance,
    };
    expect(gained).toEqual(winner === alice ? { alice: 700, bob: 0 } : { alice: 0, bob: 700 });
    expect(winners[0]!.body).toEqual({ credited: 700, balance: (winner === alice ? after.alice : after.bob).balance });

    const ledger = await owner().query<{ user_id: string; amount: string; reason: string }>(
      `SELECT l.user_id, l.amount, l.reason FROM credit_ledger l JOIN redemption_codes c ON c.id = l.redemption_code_id
        WHERE c.batch_id = $1::uuid`,
      [batchId],
    );
    expect(ledger.rows).toEqual([
      { user_id: winner.user.id, amount: '700', reason: expect.stringContaining(batchId) as string },
    ]);
    const alerts = await creditsAddedFor(winner.user.id);
    expect(alerts).toEqual([expect.objectContaining({ source: 'redeem', amount: 700 })]);
    expect(await batchView(batchId)).toMatchObject({ redeemed: 1, unused: 0, revoked: 0 });
  });

  it('shows the redemption in the user’s own ledger, and reads codes in any case, with spaces or without dashes', async () => {
    const user = await registerUser(testApp.http);
    const { codes } = await createBatch({ credits: 40, count: 2, note: 'typing' });
    const [first = '', second = ''] = codes;

    const typed = first.toLowerCase().replace(/-/g, ' ');
    expect((await redeem(user, typed).expect(200)).body as RedeemCodeResponse).toEqual({
      credited: 40,
      balance: 1040,
    });
    expect((await redeem(user, `  ${second.replace(/-/g, '')}  `).expect(200)).body).toEqual({
      credited: 40,
      balance: 1080,
    });

    const ledger = (await as(user).get('/api/credits/ledger').expect(200)).body as ListResponse<LedgerItem>;
    expect(ledger.items.slice(0, 2)).toEqual([
      expect.objectContaining({ kind: 'redeem', amount: 40, balanceAfter: 1080 }),
      expect.objectContaining({ kind: 'redeem', amount: 40, balanceAfter: 1040 }),
    ]);
    expect(ledger.items[0]?.reason).toContain(`…${second.slice(-4)}`);
    expect(ledger.items[0]?.reason).not.toContain('typing');
  });

  it('answers an unknown code 404, a revoked one 404 and an expired one 410, crediting nothing', async () => {
    const user = await registerUser(testApp.http);
    const revokedBatch = await createBatch({ credits: 10, count: 3, note: 'to revoke' });
    const expiringBatch = await createBatch({
      credits: 10,
      count: 1,
      note: 'to expire',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const before = await accountOf(owner(), user.user.id);

    // One of the batch is redeemed before the revocation: it stays redeemed.
    await redeem(user, revokedBatch.codes[0] ?? '').expect(200);
    const revoked = (await as(admin).delete(`/api/admin/redemption-codes/${revokedBatch.batchId}`).expect(200))
      .body as RedemptionBatchView;
    expect(revoked).toMatchObject({ redeemed: 1, unused: 0, revoked: 2 });
    expect(revoked.revokedAt).not.toBeNull();
    // The expiry passes (as the clock would move it).
    await owner().query(`UPDATE redemption_batches SET expires_at = now() - interval '1 second' WHERE id = $1::uuid`, [
      expiringBatch.batchId,
    ]);

    const refusals = [
      ['CG-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF', 404, ErrorCode.NotFound],
      ['not a code at all', 404, ErrorCode.NotFound],
      [revokedBatch.codes[1] ?? '', 404, ErrorCode.NotFound],
      [revokedBatch.codes[0] ?? '', 409, ErrorCode.CodeAlreadyRedeemed],
      [expiringBatch.codes[0] ?? '', 410, ErrorCode.CodeExpired],
    ] as const;
    for (const [code, status, errorCode] of refusals) {
      const response = await redeem(user, code);
      expect([code, response.status, (response.body as { code: string }).code]).toEqual([code, status, errorCode]);
    }
    expect((await accountOf(owner(), user.user.id)).balance).toBe(before.balance + 10);

    // Revoking again revokes nothing more and is audited once.
    await as(admin).delete(`/api/admin/redemption-codes/${revokedBatch.batchId}`).expect(200);
    const audit = await owner().query(
      `SELECT details FROM audit_log WHERE action = 'redemption_batch.revoked' AND target_id = $1::text`,
      [revokedBatch.batchId],
    );
    expect(audit.rows).toEqual([{ details: { revoked: 2 } }]);
  });

  it('lists batches newest first in pages, and 404s a batch that does not exist', async () => {
    const made = [];
    for (const note of ['page one', 'page two', 'page three'])
      made.push(await createBatch({ credits: 1, count: 1, note }));
    const first = (await as(admin).get('/api/admin/redemption-codes?limit=2').expect(200))
      .body as ListResponse<RedemptionBatchView>;
    expect(first.items.map((batch) => batch.note)).toEqual(['page three', 'page two']);
    expect(first.nextCursor).not.toBeNull();
    const second = (
      await as(admin)
        .get(`/api/admin/redemption-codes?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)
        .expect(200)
    ).body as ListResponse<RedemptionBatchView>;
    expect(second.items[0]?.note).toBe('page one');

    const missing = await as(admin).delete('/api/admin/redemption-codes/00000000-0000-4000-8000-000000000000');
    expect([missing.status, (missing.body as { code: string }).code]).toEqual([404, ErrorCode.NotFound]);
  });

  it('refuses non-admins (403), API keys on redeem (401) and bad input (400)', async () => {
    const user = await registerUser(testApp.http);
    const { codes } = await createBatch({ credits: 5, count: 1, note: 'keys' });
    for (const attempt of [
      as(user).post('/api/admin/redemption-codes').send({ credits: 5, count: 1, note: 'mine' }),
      as(user).get('/api/admin/redemption-codes'),
      as(user).delete('/api/admin/redemption-codes/00000000-0000-4000-8000-000000000000'),
    ]) {
      const response = await attempt;
      expect([response.status, (response.body as { code: string }).code]).toEqual([403, ErrorCode.Forbidden]);
    }

    const key = ((await as(user).post('/api/keys').send({ name: 'no redeeming' }).expect(201)).body as { key: string })
      .key;
    const withKey = await request(testApp.http)
      .post('/api/credits/redeem')
      .set('Authorization', `Bearer ${key}`)
      .send({ code: codes[0] });
    expect(withKey.status).toBe(401);

    for (const body of [
      { credits: 0, count: 1, note: 'x' },
      { credits: 1_000_001, count: 1, note: 'x' },
      { credits: 5, count: 0, note: 'x' },
      { credits: 5, count: 1001, note: 'x' },
      { credits: 5, count: 1 },
      { credits: 5, count: 1, note: '   ' },
      { credits: 5, count: 1, note: 'x', expiresAt: '2020-01-01T00:00:00Z' },
      { credits: 5, count: 1, note: 'x', expiresAt: 'tomorrow' },
      { credits: 5, count: 1, note: 'x', extra: true },
    ]) {
      const response = await as(admin).post('/api/admin/redemption-codes').send(body);
      expect([JSON.stringify(body), response.status, (response.body as { code: string }).code]).toEqual([
        JSON.stringify(body),
        400,
        ErrorCode.ValidationFailed,
      ]);
    }
    for (const body of [{}, { code: 42 }, { code: '' }, { code: 'a\u0000b' }, { code: 'x'.repeat(101) }]) {
      const response = await as(user).post('/api/credits/redeem').send(body);
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
    }
    // None of the refused batches was made.
    const { rows } = await owner().query(`SELECT 1 FROM redemption_batches WHERE note IN ('x', 'mine')`);
    expect(rows).toEqual([]);
  });
});
