import Stripe from 'stripe';
import request from 'supertest';
import {
  type AdminCreditPackageView,
  type AuthResponse,
  type CheckoutResponse,
  type CreditPackageView,
  ErrorCode,
  type ListResponse,
  type PaymentOrderView,
} from '#src/contract/index.js';
import { DatabaseRole } from '#src/database/database-roles.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { type FakeCheckoutSession, FakeStripe, type FormValue } from '#test/support/fake-stripe.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

const SECRET_KEY = 'sk_test_creditgateSuite0123456789';
const WEBHOOK_SECRET = 'whsec_creditgateSuiteSigningSecret0123';
const PUBLIC_URL = 'https://credits.example.test';

/**
 * Card top-up through Stripe Checkout (docs/top-up.md), against a real HTTP fake of Stripe's Checkout
 * Sessions API on loopback and events signed as Stripe signs them: a session for exactly the package's
 * amount; an event credits only when its signature verifies over the raw body and it matches a pending
 * order of the same amount and currency; once, however often or concurrently it is delivered.
 */
describe('card top-up with Stripe Checkout', () => {
  let fake: FakeStripe;
  let testApp: TestApp;
  let admin: AuthResponse;
  let starter: AdminCreditPackageView;

  beforeAll(async () => {
    fake = await FakeStripe.start(SECRET_KEY);
    testApp = await createTestApp({
      env: {
        STRIPE_SECRET_KEY: SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        STRIPE_API_BASE: fake.url,
        PUBLIC_URL: `${PUBLIC_URL}/`,
      },
    });
    admin = await registerAdmin(testApp.http, owner());
    starter = (
      await as(admin)
        .post('/api/admin/billing/packages')
        .send({ name: 'Starter', credits: 5000, priceCents: 499, currency: 'USD' })
        .expect(201)
    ).body as AdminCreditPackageView;
  });

  afterEach(async () => {
    fake.acceptOnly(SECRET_KEY);
    await expectCreditInvariants(owner());
  });

  afterAll(async () => {
    await testApp.close();
    await fake.stop();
  });

  const owner = () => testApp.database.pool();
  const as = (session: AuthResponse) => ({
    get: (path: string) => request(testApp.http).get(path).set('Authorization', `Bearer ${session.accessToken}`),
    post: (path: string) => request(testApp.http).post(path).set('Authorization', `Bearer ${session.accessToken}`),
    patch: (path: string) => request(testApp.http).patch(path).set('Authorization', `Bearer ${session.accessToken}`),
    delete: (path: string) => request(testApp.http).delete(path).set('Authorization', `Bearer ${session.accessToken}`),
  });
  /** Delivers a body as Stripe does: raw JSON with its Stripe-Signature header. */
  const deliver = (payload: string, signature?: string) => {
    const test = request(testApp.http)
      .post('/api/billing/stripe/webhook')
      .set('Content-Type', 'application/json; charset=utf-8');
    return (signature === undefined ? test : test.set('Stripe-Signature', signature)).send(payload);
  };
  const deliverEvent = (event: Stripe.Event) => {
    const { payload, signature } = FakeStripe.signed(event, WEBHOOK_SECRET);
    return deliver(payload, signature);
  };
  /** A user with a pending order for `packageId` and the session Stripe made for it. */
  async function startCheckout(
    packageId = starter.id,
  ): Promise<{ user: AuthResponse; checkout: CheckoutResponse; session: FakeCheckoutSession }> {
    const user = await registerUser(testApp.http);
    const checkout = (await as(user).post('/api/billing/checkout').send({ packageId }).expect(201))
      .body as CheckoutResponse;
    const session = [...fake.sessions.values()].find((candidate) => candidate.client_reference_id === checkout.orderId);
    if (session === undefined) throw new Error('the fake made no session for the order');
    return { user, checkout, session };
  }
  const orderRow = async (orderId: string) =>
    (
      await owner().query<{ status: string; stripe_session_id: string | null }>(
        'SELECT status, stripe_session_id FROM payment_orders WHERE id = $1::uuid',
        [orderId],
      )
    ).rows[0];
  const storedEvent = async (eventId: string) =>
    (
      await owner().query<{ outcome: string; outcome_detail: string | null; type: string }>(
        'SELECT type, outcome, outcome_detail FROM stripe_events WHERE id = $1::text',
        [eventId],
      )
    ).rows[0];
  const paymentLedgerRows = async (userId: string) =>
    (
      await owner().query<{ amount: string; payment_order_id: string }>(
        `SELECT amount, payment_order_id FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'payment'`,
        [userId],
      )
    ).rows;
  const paid = (session: FakeCheckoutSession) =>
    fake.event('checkout.session.completed', session, { payment_status: 'paid', status: 'complete' });

  describe('packages', () => {
    it('are data admins create, edit and archive (audited), and users see only the active ones', async () => {
      expect(starter).toMatchObject({ name: 'Starter', credits: 5000, priceCents: 499, currency: 'usd', active: true });
      const pro = (
        await as(admin)
          .post('/api/admin/billing/packages')
          .send({ name: ' Pro ', credits: 60000, priceCents: 4900, currency: 'eur' })
          .expect(201)
      ).body as AdminCreditPackageView;
      expect(pro.name).toBe('Pro');

      const edited = (
        await as(admin).patch(`/api/admin/billing/packages/${pro.id}`).send({ priceCents: 3900 }).expect(200)
      ).body as AdminCreditPackageView;
      expect(edited).toMatchObject({ name: 'Pro', credits: 60000, priceCents: 3900, currency: 'eur', active: true });

      const user = await registerUser(testApp.http);
      const offered = () =>
        as(user)
          .get('/api/billing/packages')
          .expect(200)
          .then((response) => (response.body as ListResponse<CreditPackageView>).items.map((item) => item.name));
      expect(await offered()).toEqual(expect.arrayContaining(['Starter', 'Pro']));

      const archived = (await as(admin).delete(`/api/admin/billing/packages/${pro.id}`).expect(200))
        .body as AdminCreditPackageView;
      expect(archived.active).toBe(false);
      expect(await offered()).not.toContain('Pro');
      const all = (await as(admin).get('/api/admin/billing/packages').expect(200))
        .body as ListResponse<AdminCreditPackageView>;
      expect(all.items.find((item) => item.id === pro.id)?.active).toBe(false);
      // An archived package cannot be bought.
      const refused = await as(user).post('/api/billing/checkout').send({ packageId: pro.id });
      expect([refused.status, (refused.body as { code: string }).code]).toEqual([404, ErrorCode.NotFound]);

      const audit = await owner().query<{ action: string }>(
        `SELECT action FROM audit_log WHERE target_type = 'credit_package' AND target_id = $1::text ORDER BY id`,
        [pro.id],
      );
      expect(audit.rows.map((row) => row.action)).toEqual([
        'credit_package.created',
        'credit_package.updated',
        'credit_package.archived',
      ]);
    });

    it('refuses non-admins (403) and bad input (400)', async () => {
      const user = await registerUser(testApp.http);
      for (const attempt of [
        as(user).get('/api/admin/billing/packages'),
        as(user).post('/api/admin/billing/packages').send({ name: 'Mine', credits: 1, priceCents: 1, currency: 'usd' }),
        as(user).patch(`/api/admin/billing/packages/${starter.id}`).send({ priceCents: 1 }),
        as(user).delete(`/api/admin/billing/packages/${starter.id}`),
      ]) {
        const response = await attempt;
        expect([response.status, (response.body as { code: string }).code]).toEqual([403, ErrorCode.Forbidden]);
      }
      for (const body of [
        { name: 'x', credits: 0, priceCents: 100, currency: 'usd' },
        { name: 'x', credits: 1_000_001, priceCents: 100, currency: 'usd' },
        { name: 'x', credits: 10, priceCents: 0, currency: 'usd' },
        { name: 'x', credits: 10, priceCents: 100_000_000, currency: 'usd' },
        { name: 'x', credits: 10, priceCents: 100, currency: 'dollars' },
        { name: '', credits: 10, priceCents: 100, currency: 'usd' },
        { name: 'x', credits: 10, priceCents: 1.5, currency: 'usd' },
      ]) {
        const response = await as(admin).post('/api/admin/billing/packages').send(body);
        expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      }
      const missing = await as(admin)
        .patch('/api/admin/billing/packages/00000000-0000-4000-8000-000000000000')
        .send({ priceCents: 5 });
      expect(missing.status).toBe(404);
      for (const body of [{}, { packageId: 'not-a-uuid' }, { packageId: starter.id, extra: 1 }]) {
        const response = await as(user).post('/api/billing/checkout').send(body);
        expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), 400]);
      }
    });
  });

  describe('checkout', () => {
    it('makes a pending order and a Checkout Session for exactly the package’s amount, and answers its URL', async () => {
      const before = fake.sessionCreates().length;
      const { user, checkout, session } = await startCheckout();

      const [create] = fake.sessionCreates().slice(before);
      expect(create?.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
      expect(create?.headers['idempotency-key']).toBe(checkout.orderId);
      expect(create?.headers['content-type']).toContain('application/x-www-form-urlencoded');
      const lineItems = create?.form['line_items'] as FormValue[];
      expect(lineItems).toEqual([
        {
          quantity: '1',
          price_data: {
            currency: 'usd',
            unit_amount: '499',
            product_data: { name: 'Starter', description: '5,000 CreditGate credits' },
          },
        },
      ]);
      expect(create?.form).toMatchObject({
        mode: 'payment',
        client_reference_id: checkout.orderId,
        metadata: { orderId: checkout.orderId },
        success_url: `${PUBLIC_URL}/admin/top-up?order=${checkout.orderId}&checkout=success`,
        cancel_url: `${PUBLIC_URL}/admin/top-up?order=${checkout.orderId}&checkout=cancelled`,
      });

      expect(checkout.url).toBe(session.url);
      expect(session.amount_total).toBe(499);
      expect(await orderRow(checkout.orderId)).toEqual({ status: 'pending', stripe_session_id: session.id });
      const orders = (await as(user).get('/api/billing/orders').expect(200)).body as ListResponse<PaymentOrderView>;
      expect(orders.items).toEqual([
        expect.objectContaining({
          id: checkout.orderId,
          packageId: starter.id,
          packageName: 'Starter',
          credits: 5000,
          amountCents: 499,
          currency: 'usd',
          status: 'pending',
          paidAt: null,
        }),
      ]);
      // Nothing is credited by starting a checkout.
      expect(await paymentLedgerRows(user.user.id)).toEqual([]);
    });

    it('fails the order and answers 503 when Stripe refuses the call, without the key in the log', async () => {
      fake.acceptOnly('sk_test_someoneElse000');
      const user = await registerUser(testApp.http);

      const response = await as(user).post('/api/billing/checkout').send({ packageId: starter.id });

      expect([response.status, (response.body as { code: string }).code]).toEqual([503, ErrorCode.ServiceUnavailable]);
      const orders = (await as(user).get('/api/billing/orders').expect(200)).body as ListResponse<PaymentOrderView>;
      expect(orders.items.map((order) => order.status)).toEqual(['failed']);
      expect(testApp.logLines().join('\n')).not.toContain(SECRET_KEY.slice(8));
    });

    it('lists only the caller’s own orders, newest first, in pages', async () => {
      const { user, checkout: first } = await startCheckout();
      const second = (await as(user).post('/api/billing/checkout').send({ packageId: starter.id }).expect(201))
        .body as CheckoutResponse;
      const page = (await as(user).get('/api/billing/orders?limit=1').expect(200))
        .body as ListResponse<PaymentOrderView>;
      expect(page.items.map((order) => order.id)).toEqual([second.orderId]);
      const next = (
        await as(user)
          .get(`/api/billing/orders?limit=1&cursor=${encodeURIComponent(page.nextCursor ?? '')}`)
          .expect(200)
      ).body as ListResponse<PaymentOrderView>;
      expect(next.items.map((order) => order.id)).toEqual([first.orderId]);
      expect(next.nextCursor).toBeNull();

      const stranger = await registerUser(testApp.http);
      expect(((await as(stranger).get('/api/billing/orders').expect(200)).body as ListResponse<unknown>).items).toEqual(
        [],
      );
    });
  });

  describe('webhook', () => {
    it('refuses a forged, a stale and an unsigned event with 400, crediting and storing nothing', async () => {
      const { user, checkout, session } = await startCheckout();
      const event = paid(session);
      const before = await accountOf(owner(), user.user.id);

      const forged = FakeStripe.signed(event, 'whsec_notTheRealSecret000000');
      const stale = FakeStripe.signed(event, WEBHOOK_SECRET, { timestamp: Math.floor(Date.now() / 1000) - 600 });
      const genuine = FakeStripe.signed(event, WEBHOOK_SECRET);
      const attempts = [
        deliver(forged.payload, forged.signature),
        deliver(stale.payload, stale.signature),
        deliver(genuine.payload),
        deliver(genuine.payload, ''),
        // The right signature over other bytes: the amount changed after signing.
        deliver(genuine.payload.replace('"amount_total": 499', '"amount_total": 1'), genuine.signature),
        // Re-serialised JSON is not the body that was signed.
        deliver(JSON.stringify(JSON.parse(genuine.payload)), genuine.signature),
      ];
      for (const attempt of attempts) {
        const response = await attempt;
        expect([response.status, (response.body as { code: string }).code]).toEqual([400, ErrorCode.ValidationFailed]);
      }

      expect(await accountOf(owner(), user.user.id)).toEqual(before);
      expect(await storedEvent(event.id)).toBeUndefined();
      expect((await orderRow(checkout.orderId))?.status).toBe('pending');
      expect(testApp.logLines().join('\n')).not.toContain(WEBHOOK_SECRET);
    });

    it('credits a paid session once: the event, a replay of it and a second event for the same session', async () => {
      const { user, checkout, session } = await startCheckout();
      const before = await accountOf(owner(), user.user.id);
      const event = paid(session);
      const { payload, signature } = FakeStripe.signed(event, WEBHOOK_SECRET);

      expect((await deliver(payload, signature).expect(200)).body).toEqual({
        received: true,
        outcome: 'credited',
        replayed: false,
      });
      expect((await deliver(payload, signature).expect(200)).body).toEqual({
        received: true,
        outcome: 'credited',
        replayed: true,
      });
      const again = paid(session);
      expect((await deliverEvent(again).expect(200)).body).toMatchObject({ outcome: 'already_paid', replayed: false });

      expect((await accountOf(owner(), user.user.id)).balance).toBe(before.balance + 5000);
      expect(await paymentLedgerRows(user.user.id)).toEqual([{ amount: '5000', payment_order_id: checkout.orderId }]);
      const orders = (await as(user).get('/api/billing/orders').expect(200)).body as ListResponse<PaymentOrderView>;
      expect(orders.items[0]).toMatchObject({ id: checkout.orderId, status: 'paid' });
      expect(orders.items[0]?.paidAt).not.toBeNull();
      expect(await storedEvent(event.id)).toMatchObject({ type: 'checkout.session.completed', outcome: 'credited' });
      expect(await storedEvent(again.id)).toMatchObject({ outcome: 'already_paid' });
      const alerts = await owner().query<{ data: Record<string, unknown> }>(
        `SELECT data FROM webhook_events WHERE type = 'credits.added' AND data ->> 'userId' = $1::text`,
        [user.user.id],
      );
      expect(alerts.rows.map((row) => row.data)).toEqual([
        expect.objectContaining({ source: 'payment', amount: 5000, balance: before.balance + 5000 }),
      ]);
    });

    it('credits once when the same event arrives 10 times at once', async () => {
      const { user, session } = await startCheckout();
      const before = await accountOf(owner(), user.user.id);
      const { payload, signature } = FakeStripe.signed(paid(session), WEBHOOK_SECRET);

      const responses = await Promise.all(Array.from({ length: 10 }, () => deliver(payload, signature)));

      expect(responses.map((response) => response.status)).toEqual(Array<number>(10).fill(200));
      expect(responses.filter((response) => (response.body as { replayed: boolean }).replayed)).toHaveLength(9);
      expect((await accountOf(owner(), user.user.id)).balance).toBe(before.balance + 5000);
      expect(await paymentLedgerRows(user.user.id)).toHaveLength(1);
    });

    it('credits once when 10 different events for the same session arrive at once', async () => {
      const { user, session } = await startCheckout();
      const before = await accountOf(owner(), user.user.id);

      const responses = await Promise.all(Array.from({ length: 10 }, () => deliverEvent(paid(session))));

      expect(responses.map((response) => (response.body as { outcome: string }).outcome).sort()).toEqual([
        ...Array<string>(9).fill('already_paid'),
        'credited',
      ]);
      expect((await accountOf(owner(), user.user.id)).balance).toBe(before.balance + 5000);
    });

    it('credits nothing, and records why, when the amount, the currency or the session differs from the order', async () => {
      const { user, checkout, session } = await startCheckout();
      const before = await accountOf(owner(), user.user.id);
      const other = await startCheckout();

      const cases: [Stripe.Event, string][] = [
        [
          fake.event('checkout.session.completed', session, { payment_status: 'paid', amount_total: 1 }),
          'amount_mismatch',
        ],
        [
          fake.event('checkout.session.completed', session, { payment_status: 'paid', currency: 'eur' }),
          'currency_mismatch',
        ],
        // Another order's session, naming this order.
        [
          fake.event('checkout.session.completed', other.session, {
            payment_status: 'paid',
            client_reference_id: checkout.orderId,
            metadata: { orderId: checkout.orderId },
          }),
          'unmatched',
        ],
        // The reference and the metadata disagree.
        [
          fake.event('checkout.session.completed', session, {
            payment_status: 'paid',
            metadata: { orderId: other.checkout.orderId },
          }),
          'unmatched',
        ],
        [
          fake.event('checkout.session.completed', session, { payment_status: 'paid', client_reference_id: null }),
          'unmatched',
        ],
        // Completed, not paid (a delayed payment method).
        [fake.event('checkout.session.completed', session, { payment_status: 'unpaid' }), 'not_paid'],
        [fake.event('charge.succeeded', session), 'ignored'],
      ];
      for (const [event, outcome] of cases) {
        expect((await deliverEvent(event).expect(200)).body).toMatchObject({ outcome, replayed: false });
        expect(await storedEvent(event.id)).toMatchObject({ outcome });
      }
      expect((await storedEvent(cases[0]![0].id))?.outcome_detail).toBe('the order asks 499, the session says 1');

      expect(await accountOf(owner(), user.user.id)).toEqual(before);
      expect(await paymentLedgerRows(user.user.id)).toEqual([]);
      expect((await orderRow(checkout.orderId))?.status).toBe('pending');
      expect((await orderRow(other.checkout.orderId))?.status).toBe('pending');
      expect(testApp.logLines().join('\n')).toContain('credited nothing: amount_mismatch');

      // The right event still credits it afterwards.
      await deliverEvent(paid(session)).expect(200);
      expect((await accountOf(owner(), user.user.id)).balance).toBe(before.balance + 5000);
    });

    it('marks the order expired when its session expires, and a late payment event credits nothing', async () => {
      const { user, checkout, session } = await startCheckout();
      const before = await accountOf(owner(), user.user.id);

      const expired = fake.event('checkout.session.expired', session, { status: 'expired' });
      expect((await deliverEvent(expired).expect(200)).body).toMatchObject({ outcome: 'order_expired' });
      expect((await orderRow(checkout.orderId))?.status).toBe('expired');

      expect((await deliverEvent(paid(session)).expect(200)).body).toMatchObject({ outcome: 'order_not_pending' });
      expect(await accountOf(owner(), user.user.id)).toEqual(before);
    });

    it('credits a delayed payment when it succeeds, and fails the order when it does not', async () => {
      const succeeding = await startCheckout();
      const failing = await startCheckout();
      const before = await accountOf(owner(), succeeding.user.user.id);

      await deliverEvent(fake.event('checkout.session.completed', succeeding.session, { payment_status: 'unpaid' }));
      expect((await accountOf(owner(), succeeding.user.user.id)).balance).toBe(before.balance);
      const succeeded = fake.event('checkout.session.async_payment_succeeded', succeeding.session, {
        payment_status: 'paid',
      });
      expect((await deliverEvent(succeeded).expect(200)).body).toMatchObject({ outcome: 'credited' });
      expect((await accountOf(owner(), succeeding.user.user.id)).balance).toBe(before.balance + 5000);

      const failed = fake.event('checkout.session.async_payment_failed', failing.session);
      expect((await deliverEvent(failed).expect(200)).body).toMatchObject({ outcome: 'order_failed' });
      expect((await orderRow(failing.checkout.orderId))?.status).toBe('failed');
    });

    it('takes no login and no rate limit: 30 deliveries in a row are all answered', async () => {
      const statuses: number[] = [];
      for (let index = 0; index < 30; index += 1) {
        statuses.push((await deliverEvent(fake.event('customer.created', {} as FakeCheckoutSession))).status);
      }
      expect(statuses).toEqual(Array<number>(30).fill(200));
    });
  });

  it('leaves the runtime role no way to write an order, an event or a payment but the functions', async () => {
    const { user, checkout, session } = await startCheckout();
    const runtime = testApp.database.pool({ role: DatabaseRole.Runtime });
    const refused = [
      runtime.query(`UPDATE payment_orders SET credits = 1000000 WHERE id = $1::uuid`, [checkout.orderId]),
      runtime.query(`UPDATE payment_orders SET status = 'paid', paid_at = now() WHERE id = $1::uuid`, [
        checkout.orderId,
      ]),
      runtime.query(
        `INSERT INTO payment_orders (user_id, package_id, package_name, credits, amount_cents, currency)
         VALUES ($1::uuid, $2::uuid, 'cheap', 1000000, 1, 'usd')`,
        [user.user.id, starter.id],
      ),
      runtime.query(
        `INSERT INTO stripe_events (id, type, livemode, payload, outcome) VALUES ('evt_x', 'x', false, '{}', 'ignored')`,
      ),
      runtime.query(`DELETE FROM stripe_events`),
      runtime.query(`UPDATE credit_packages SET price_cents = 1`),
      runtime.query(`UPDATE redemption_codes SET redeemed_at = NULL, redeemed_by = NULL`),
      runtime.query(
        `INSERT INTO credit_ledger (user_id, kind, amount, balance_after, reason, payment_order_id)
         VALUES ($1::uuid, 'payment', 5000, 6000, 'forged', $2::uuid)`,
        [user.user.id, checkout.orderId],
      ),
    ];
    for (const attempt of refused) await expect(attempt).rejects.toMatchObject({ code: '42501' });
    expect(await orderRow(checkout.orderId)).toEqual({ status: 'pending', stripe_session_id: session.id });
  });

  it('the official client gets Stripe’s 401 from the fake for a wrong key', async () => {
    const client = new Stripe('sk_test_wrongKey0000', {
      host: '127.0.0.1',
      port: Number(new URL(fake.url).port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    await expect(
      client.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ quantity: 1, price_data: { currency: 'usd', unit_amount: 1, product_data: { name: 'x' } } }],
      }),
    ).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
  });
});
