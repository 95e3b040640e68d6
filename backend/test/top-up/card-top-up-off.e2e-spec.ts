import request from 'supertest';
import { type AdminCreditPackageView, type AuthResponse, ErrorCode } from '#src/contract/index.js';
import { FakeStripe } from '#test/support/fake-stripe.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/**
 * Without STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET card top-up is off: every /api/billing route
 * answers 404 (the webhook whatever its signature; the others to a login, after the usual 401 without
 * one); admins can still prepare packages.
 */
describe('card top-up off (no STRIPE_* variables)', () => {
  let testApp: TestApp;
  let admin: AuthResponse;

  beforeAll(async () => {
    testApp = await createTestApp();
    admin = await registerAdmin(testApp.http, testApp.database.pool());
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('answers 404 NOT_FOUND on every /api/billing route', async () => {
    const user = await registerUser(testApp.http);
    const bearer = `Bearer ${user.accessToken}`;
    const event = {
      id: 'evt_off',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: { id: 'cs_test_off' } },
    };
    const { payload, signature } = FakeStripe.signed(
      event as unknown as Parameters<typeof FakeStripe.signed>[0],
      'whsec_anything0000',
    );
    const attempts = [
      request(testApp.http).get('/api/billing/packages').set('Authorization', bearer),
      request(testApp.http)
        .post('/api/billing/checkout')
        .set('Authorization', bearer)
        .send({ packageId: '00000000-0000-4000-8000-000000000000' }),
      request(testApp.http).get('/api/billing/orders').set('Authorization', bearer),
      request(testApp.http)
        .post('/api/billing/stripe/webhook')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', signature)
        .send(payload),
    ];
    for (const attempt of attempts) {
      const response = await attempt;
      expect([response.status, (response.body as { code: string }).code]).toEqual([404, ErrorCode.NotFound]);
    }
    const anonymous = await request(testApp.http).get('/api/billing/packages');
    expect(anonymous.status).toBe(401);
    const { rows } = await testApp.database.pool().query('SELECT id FROM stripe_events');
    expect(rows).toEqual([]);
  });

  it('lets admins prepare packages meanwhile', async () => {
    const created = await request(testApp.http)
      .post('/api/admin/billing/packages')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ name: 'Ready for launch', credits: 1000, priceCents: 100, currency: 'usd' })
      .expect(201);
    expect((created.body as AdminCreditPackageView).active).toBe(true);
    await request(testApp.http)
      .get('/api/admin/billing/packages')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(200);
  });
});
