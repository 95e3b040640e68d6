import request from 'supertest';
import { type AuthResponse, type CreatedRedemptionCodes, ErrorCode } from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

const PER_MINUTE = 5;

/**
 * Redemption attempts are limited per user (RATE_LIMIT_REDEEM_PER_MIN) and per client IP (ten times
 * that), whatever their outcome: guessing codes costs a guesser the same as redeeming them.
 */
describe('redeem rate limits (429 RATE_LIMITED with Retry-After)', () => {
  let testApp: TestApp;
  let admin: AuthResponse;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { RATE_LIMIT_REDEEM_PER_MIN: String(PER_MINUTE) } });
    admin = await registerAdmin(testApp.http, testApp.database.pool());
  });

  afterAll(async () => {
    await expectCreditInvariants(testApp.database.pool());
    await testApp.close();
  });

  const redeem = (session: AuthResponse, code: string) =>
    request(testApp.http)
      .post('/api/credits/redeem')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ code });

  it('lets a user make 5 attempts a minute, then answers 429 with Retry-After, even for a valid code', async () => {
    const guesser = await registerUser(testApp.http);
    const { codes } = (
      await request(testApp.http)
        .post('/api/admin/redemption-codes')
        .set('Authorization', `Bearer ${admin.accessToken}`)
        .send({ credits: 50, count: 1, note: 'rate limit' })
        .expect(201)
    ).body as CreatedRedemptionCodes;

    const statuses: number[] = [];
    let limited: request.Response | undefined;
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const response = await redeem(guesser, `CG-AAAA-AAAA-AAAA-AAAA-AAAA-AA${String(attempt).padStart(2, 'A')}`);
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
    expect(limited?.body).toMatchObject({ statusCode: 429, code: ErrorCode.RateLimited });
    const retryAfter = Number(limited?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    await redeem(guesser, codes[0] ?? '').expect(429);
    // Another user (same IP, within its larger budget) still redeems it.
    const other = await registerUser(testApp.http);
    await redeem(other, codes[0] ?? '').expect(200);
  });

  it('limits attempts per client IP across users, at ten times the per-user limit', async () => {
    // 6 attempts from this IP passed the user limit above (the ones it refused are not counted again);
    // the IP budget is 50.
    const statuses: number[] = [];
    for (let user = 0; user < 12; user += 1) {
      const session = await registerUser(testApp.http);
      for (let attempt = 0; attempt < PER_MINUTE - 1; attempt += 1) {
        statuses.push((await redeem(session, 'CG-BBBB-BBBB-BBBB-BBBB-BBBB-BBBB')).status);
      }
    }
    // No user went over its own 4 attempts; the IP's 50 were spent after 44 of these 48.
    expect(statuses.slice(0, 44)).toEqual(Array<number>(44).fill(404));
    expect(statuses.slice(44)).toEqual(Array<number>(4).fill(429));
  });
});
