import { ErrorCode } from '#src/contract/index.js';
import { CreditsRepository } from '#src/credits/credits.repository.js';
import { accessTokenFor } from '#test/support/access-tokens.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf, newAdmin, newUser } from '#test/support/factories.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** The repository's recharge, with SQLSTATEs turned into the contract's codes. */
describe('CreditsRepository.addCredits', () => {
  let testApp: TestApp;
  let credits: CreditsRepository;

  beforeAll(async () => {
    testApp = await createTestApp();
    credits = testApp.app.get(CreditsRepository);
  });

  afterEach(async () => {
    await expectCreditInvariants(testApp.database.pool());
  });

  afterAll(async () => {
    await testApp.close();
  });

  const owner = () => testApp.database.pool();

  it('adds once per idempotency key and reports the replay', async () => {
    const admin = await newAdmin(owner());
    const user = await newUser(owner());
    const recharge = {
      adminToken: accessTokenFor(admin.id),
      userId: user.id,
      amount: 250,
      reason: 'Invoice 7',
      idempotencyKey: 'inv-7',
    };

    const first = await credits.addCredits(recharge);
    const again = await credits.addCredits(recharge);

    expect(first).toEqual({ ledgerEntryId: expect.any(String) as string, balance: 1250, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await accountOf(owner(), user.id)).toEqual({ balance: 1250, held: 0 });
  });

  interface Variant {
    actor?: 'user';
    target?: 'unknown';
    amount?: number;
    reason?: string;
  }

  it.each<[string, Variant, ErrorCode]>([
    ['a non-admin actor', { actor: 'user' }, ErrorCode.Forbidden],
    ['an unknown user', { target: 'unknown' }, ErrorCode.NotFound],
    ['amount 0', { amount: 0 }, ErrorCode.ValidationFailed],
    ['amount 1,000,001', { amount: 1_000_001 }, ErrorCode.ValidationFailed],
    ['a blank reason', { reason: '  ' }, ErrorCode.ValidationFailed],
  ])('refuses %s with %s and changes nothing', async (_what, variant, code) => {
    const admin = await newAdmin(owner());
    const notAdmin = await newUser(owner());
    const user = await newUser(owner());

    await expect(
      credits.addCredits({
        adminToken: variant.actor === 'user' ? accessTokenFor(notAdmin.id, 'user') : accessTokenFor(admin.id),
        userId: variant.target === 'unknown' ? '00000000-0000-4000-8000-000000000000' : user.id,
        amount: variant.amount ?? 10,
        reason: variant.reason ?? 'test',
        idempotencyKey: null,
      }),
    ).rejects.toMatchObject({ code });
    expect(await accountOf(owner(), user.id)).toEqual({ balance: 1000, held: 0 });
  });

  it('refuses a key reused for another amount with IDEMPOTENCY_KEY_REUSED', async () => {
    const admin = await newAdmin(owner());
    const user = await newUser(owner());
    const adminToken = accessTokenFor(admin.id);
    await credits.addCredits({ adminToken, userId: user.id, amount: 5, reason: 'x', idempotencyKey: 'k' });

    await expect(
      credits.addCredits({ adminToken, userId: user.id, amount: 6, reason: 'x', idempotencyKey: 'k' }),
    ).rejects.toMatchObject({ code: ErrorCode.IdempotencyKeyReused });
  });
});
