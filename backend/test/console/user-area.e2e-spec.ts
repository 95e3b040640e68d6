// Functions passed to page.evaluate() run in the browser, with its DOM.
/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import type { AuthResponse, ChatResponse, ListResponse, PaymentOrderView } from '#src/contract/index.js';
import { type BackendProcess, freePort } from '#test/support/backend-process.js';
import { DESKTOP, launchChromium, PHONE, screenshotBothWidths } from '#test/support/browser.js';
import {
  closeConsolePage,
  type ConsolePage,
  openConsolePage,
  requireConsoleBuild,
  submitSignIn,
  startConsoleBackend,
  stopConsoleBackend,
} from '#test/support/console-e2e.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { FakeStripe } from '#test/support/fake-stripe.js';
import { registerUser, TEST_PASSWORD } from '#test/support/sessions.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const ADMIN = { email: 'owner@example.test', password: 'user-area-admin-password' };
/** Card top-up on, against a fake of Stripe's API on 127.0.0.1 (test-mode-shaped keys, made up). */
const STRIPE_SECRET_KEY = 'sk_test_userAreaE2eKey0123456789';
const STRIPE_WEBHOOK_SECRET = 'whsec_userAreaE2eSecret0123456789';

/**
 * The console's user area as a customer uses it: the production build served by the real backend
 * (`dist/main.js`, demo mode) on a database of its own, driven in Debian's Chromium. A user who signs
 * in gets their own pages (balance, usage, ledger, API keys, top-up) and never the admin's; an admin
 * keeps the admin pages and switches to their own view and back. Card top-up is on, against a fake
 * Stripe whose hosted Checkout page is on 127.0.0.1 too.
 */
describe('user area in Chromium', () => {
  let database: TestDatabase;
  let backend: BackendProcess;
  let stripe: FakeStripe;
  let browser: Browser;
  /** The current test's browser profile, with what its page reported. */
  let opened: ConsolePage;
  let page: Page;

  const api = () => request(backend.baseUrl);
  const url = (path: string) => `${backend.baseUrl}/admin${path}`;
  /** A link of the side navigation. */
  const navLink = (name: string) => page.locator('mat-sidenav').getByRole('link', { name, exact: true });
  const words = async (testId: string) => (await page.getByTestId(testId).textContent())?.replace(/\s+/g, ' ').trim();

  async function chat(session: AuthResponse | string, expected = 200): Promise<number> {
    const token = typeof session === 'string' ? session : session.accessToken;
    const response = await api()
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${token}`)
      .send({ prompt: 'A question', model: 'demo-chat', maxTokens: 10 })
      .expect(expected);
    return expected === 200 ? (response.body as ChatResponse).creditsCharged : 0;
  }

  /**
   * Opens a dialog and waits until its first field has the focus: the dialog focuses it once its
   * opening animation ends, and text typed before that could land in whichever field had it.
   */
  async function openDialog(buttonTestId: string, firstFieldTestId: string): Promise<void> {
    await page.getByTestId(buttonTestId).click();
    await page.waitForFunction(
      (testId) => document.activeElement?.getAttribute('data-testid') === testId,
      firstFieldTestId,
    );
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
  }

  async function signIn(email: string, password = TEST_PASSWORD): Promise<void> {
    await submitSignIn(page, backend.baseUrl, email, password);
  }

  /** No sideways scrolling at 390 px on the page shown now. */
  async function expectNoOverflowOnAPhone(): Promise<void> {
    const original = page.viewportSize() ?? DESKTOP;
    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.setViewportSize(original);
    expect({ path: new URL(page.url()).pathname, overflow }).toEqual({
      path: new URL(page.url()).pathname,
      overflow: 0,
    });
  }

  beforeAll(async () => {
    requireConsoleBuild();
    database = await createTestDatabase();
    stripe = await FakeStripe.start(STRIPE_SECRET_KEY);
    // Stripe's return URLs are under PUBLIC_URL: the backend's own address, so its port is chosen here.
    const port = String(await freePort());
    backend = await startConsoleBackend(database.url, {
      PORT: port,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      STRIPE_SECRET_KEY,
      STRIPE_WEBHOOK_SECRET,
      STRIPE_API_BASE: stripe.url,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      RATE_LIMIT_LOGIN_PER_MIN: '1000',
      RATE_LIMIT_REGISTER_PER_MIN: '1000',
      RATE_LIMIT_CHAT_PER_MIN: '1000',
    });
    browser = await launchChromium();
  });

  beforeEach(async () => {
    opened = await openConsolePage(browser, { acceptDownloads: true, clipboardOrigin: backend.baseUrl });
    page = opened.page;
  });

  afterEach(async () => {
    await closeConsolePage(opened);
    await expectCreditInvariants(database.pool());
  });

  afterAll(async () => {
    await browser.close();
    await stopConsoleBackend(backend);
    await stripe.stop();
    await database.drop();
  });

  it('signs a user in to their own overview: balance, what this month cost, and no admin page', async () => {
    const ada = await registerUser(backend.baseUrl, 'ada@example.test');
    const charged = (await chat(ada)) + (await chat(ada));
    const { balance } = await accountOf(database.pool(), ada.user.id);

    await signIn(ada.user.email);

    await page.waitForURL(url('/account'));
    await page
      .getByTestId('balance')
      .filter({ hasText: balance.toLocaleString('en-US') })
      .waitFor();
    expect(balance).toBe(1000 - charged);
    await expect(words('available')).resolves.toBe(balance.toLocaleString('en-US'));
    await page
      .getByTestId('month-charged')
      .filter({ hasText: new RegExp(`^\\s*${charged}\\s*$`) })
      .waitFor();
    expect(await page.locator('canvas').count()).toBe(2);
    await expect(page.getByTestId('ledger-table').locator('tr[mat-row]').count()).resolves.toBe(3);
    await expect(words('view-title')).resolves.toBe('My account');
    expect(await page.getByTestId('switch-view').count()).toBe(0);
    expect(await navLink('Users').count()).toBe(0);
    await screenshotBothWidths(page, 'account-overview');

    // An admin page's link (a bookmark, a shared URL) is not theirs: it lands on their own overview.
    await page.goto(url('/users'));
    await page.waitForURL(url('/account'));
    await page.getByTestId('balance').waitFor();
    await expectNoOverflowOnAPhone();
  });

  it('creates a key with limits, shows its secret once with a copy button, lists it, and revokes it', async () => {
    const grace = await registerUser(backend.baseUrl, 'grace@example.test');
    await signIn(grace.user.email);
    await page.waitForURL(url('/account'));

    await navLink('API keys').click();
    await page.waitForURL(url('/account/keys'));
    await page.getByText('No API keys yet.').waitFor();
    await openDialog('create-key', 'key-name');
    await page.getByTestId('key-name').fill('shop backend');
    await page.getByTestId('key-budget-credits').fill('500');
    await page.getByTestId('key-budget-period').click();
    await page.getByRole('option', { name: 'UTC day' }).click();
    await page.getByTestId('key-models').click();
    await page.getByRole('option', { name: 'demo-chat', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('key-allowed-ips').fill('127.0.0.1\n::1');
    await page.getByTestId('create-key-save').click();

    const secret = (await page.getByTestId('key-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^cg_live_\S{20,}$/);
    await screenshotBothWidths(page, 'account-key-created');
    await page.getByTestId('key-copy-secret').click();
    await page.getByTestId('key-copy-secret').filter({ hasText: 'Copied' }).waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
    // The dialog keeps the secret until it is dismissed on purpose: Escape does not close it.
    await page.keyboard.press('Escape');
    await page.getByTestId('key-secret').waitFor();
    await page.getByTestId('key-secret-done').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // Listed with its limits, and the secret is nowhere on the page any more.
    const row = page.getByTestId('api-key-table').locator('tr[mat-row]', { hasText: 'shop backend' });
    await row.waitFor();
    await expect(row.getByTestId('key-limits').textContent()).resolves.toMatch(
      /Budget: 500 credits a day.*Models: demo-chat.*Addresses: 127\.0\.0\.1, ::1/s,
    );
    expect((await page.content()).includes(secret)).toBe(false);

    // The secret works, and its spend shows against the budget.
    const charged = await chat(secret);
    await page.reload();
    await row
      .getByTestId('period-spend')
      .filter({ hasText: `${charged} of 500 credits this UTC day` })
      .waitFor();
    await screenshotBothWidths(page, 'account-keys');
    await expectNoOverflowOnAPhone();

    await page.getByRole('button', { name: 'Revoke shop backend' }).click();
    await page.getByTestId('confirm').click();
    await page.getByText('No API keys yet.').waitFor();
    await chat(secret, 401);
  });

  it('lists the user’s own usage and ledger, and downloads exactly their rows as CSV', async () => {
    const linus = await registerUser(backend.baseUrl, 'linus@example.test');
    const other = await registerUser(backend.baseUrl, 'other@example.test');
    await chat(linus);
    await chat(linus);
    await chat(other);
    await api()
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${linus.accessToken}`)
      .send({ prompt: 'A question', model: 'demo-error' })
      .expect(500);
    await signIn(linus.user.email);
    await page.waitForURL(url('/account'));

    await page.goto(url('/account/usage'));
    await page.getByTestId('usage-table').waitFor();
    await expect(page.getByTestId('usage-table').locator('tr[mat-row]').count()).resolves.toBe(3);
    await page.getByTestId('usage-status').click();
    await page.getByRole('option', { name: 'Provider error' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="usage-table"] tr[mat-row]').length === 1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const [header, ...rows] = (await readFile(await download.path(), 'utf8')).trim().split('\n');
    expect(header).toMatch(/^id,createdAt,model,endpoint,status,/);
    expect(header).not.toContain('email');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('provider_error');
    expect(download.suggestedFilename()).toMatch(/^usage-\d{4}-\d{2}-\d{2}\.csv$/);
    await screenshotBothWidths(page, 'account-usage');
    await expectNoOverflowOnAPhone();

    await navLink('Ledger').click();
    await page.waitForURL(url('/account/ledger'));
    const ledgerRows = page.getByTestId('ledger-table').locator('tr[mat-row]');
    await ledgerRows.nth(2).waitFor();
    await expect(ledgerRows.count()).resolves.toBe(3);
    await expect(ledgerRows.last().textContent()).resolves.toMatch(/Signup grant.*\+1,000.*1,000/);
    await expectNoOverflowOnAPhone();
  });

  it('keeps the admin pages for an admin, who switches to their own view and back', async () => {
    await signIn(ADMIN.email, ADMIN.password);
    await page.waitForURL(url('/dashboard'));
    await page.getByTestId('total-requests').waitFor();
    await expect(words('view-title')).resolves.toBe('Admin console');
    await navLink('Redemption codes').waitFor();

    await page.getByTestId('switch-view').click();
    await page.waitForURL(url('/account'));
    await expect(words('view-title')).resolves.toBe('My account');
    await page.getByTestId('balance').filter({ hasText: '1,000' }).waitFor();
    expect(await navLink('Users').count()).toBe(0);
    await navLink('API keys').click();
    await page.waitForURL(url('/account/keys'));
    await screenshotBothWidths(page, 'admin-own-view');

    await page.getByTestId('switch-view').click();
    await page.waitForURL(url('/dashboard'));
    await navLink('Users').click();
    await page.getByTestId('users-table').waitFor();
    await expectNoOverflowOnAPhone();
  });

  it('lets an admin make codes in the console, shown once, that a user redeems to see the balance change', async () => {
    const newcomer = await registerUser(backend.baseUrl, 'newcomer@example.test');
    await signIn(ADMIN.email, ADMIN.password);
    await page.waitForURL(url('/dashboard'));

    await navLink('Redemption codes').click();
    await page.waitForURL(url('/redemption-codes'));
    await openDialog('create-codes', 'codes-credits');
    await page.getByTestId('codes-credits').fill('250');
    await page.getByTestId('codes-count').fill('2');
    await page.getByTestId('codes-note').fill('Welcome codes for the workshop');
    await page.getByTestId('codes-save').click();
    await page.getByTestId('created-code').nth(1).waitFor();
    const codes = (await page.getByTestId('created-code').allTextContents()).map((code) => code.trim());
    expect(codes).toHaveLength(2);
    expect(new Set(codes).size).toBe(2);
    for (const code of codes) expect(code).toMatch(/^CG-[A-Z2-7]{4}(?:-[A-Z2-7]{4})+$/);
    await page.getByTestId('copy-codes').click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(codes.join('\n'));
    await screenshotBothWidths(page, 'admin-codes-created');
    await page.getByTestId('codes-done').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const batchRow = page.getByTestId('batches-table').locator('tr[mat-row]', { hasText: 'Welcome codes' });
    await batchRow.getByTestId('batch-redeemed').filter({ hasText: '0 of 2' }).waitFor();
    // Shown once: after the dialog the codes are nowhere in the page.
    for (const code of codes) expect((await page.content()).includes(code)).toBe(false);
    await signOut();

    await signIn(newcomer.user.email);
    await page.waitForURL(url('/account'));
    await navLink('Top up').click();
    await page.waitForURL(url('/account/top-up'));
    // Case, dashes and spaces do not matter.
    await page.getByTestId('redeem-code').fill(` ${codes[0]!.toLowerCase().replaceAll('-', ' ')} `);
    await page.getByTestId('redeem-submit').click();
    await expect(page.getByTestId('redeem-result').textContent()).resolves.toContain(
      '250 credits added. Your balance is now 1,250.',
    );
    await page.getByTestId('top-up-balance').filter({ hasText: '1,250' }).waitFor();
    expect(await accountOf(database.pool(), newcomer.user.id)).toEqual({ balance: 1250, held: 0 });
    await screenshotBothWidths(page, 'account-code-redeemed');

    await page.getByTestId('redeem-code').fill(codes[0]!);
    await page.getByTestId('redeem-submit').click();
    await expect(page.getByTestId('redeem-error').textContent()).resolves.toContain(
      'This code has already been redeemed.',
    );
    expect(await accountOf(database.pool(), newcomer.user.id)).toEqual({ balance: 1250, held: 0 });

    await navLink('Ledger').click();
    await expect(page.getByTestId('ledger-table').locator('tr[mat-row]').first().textContent()).resolves.toMatch(
      /Redemption code.*\+250.*1,250/,
    );
  });

  it('starts a card top-up at the fake Stripe Checkout, lists the order as pending, and credits it once Stripe reports the payment', async () => {
    const buyer = await registerUser(backend.baseUrl, 'buyer@example.test');
    await signIn(ADMIN.email, ADMIN.password);
    await page.waitForURL(url('/dashboard'));
    await navLink('Credit packages').click();
    await openDialog('add-package', 'package-name');
    await page.getByTestId('package-name').fill('Starter pack');
    await page.getByTestId('package-credits').fill('5000');
    await page.getByTestId('package-price').fill('4.99');
    await page.getByTestId('package-save').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page
      .getByTestId('packages-table')
      .locator('tr[mat-row]', { hasText: 'Starter pack' })
      .filter({ hasText: '$4.99' })
      .waitFor();
    await screenshotBothWidths(page, 'admin-credit-packages');
    await signOut();

    await signIn(buyer.user.email);
    await page.waitForURL(url('/account'));
    await page.goto(url('/account/top-up'));
    const pack = page.getByTestId('packages').locator('article', { hasText: 'Starter pack' });
    await expect(pack.textContent()).resolves.toMatch(/5,000 credits.*\$4\.99/s);
    await page.getByText('No card payments yet.').waitFor();
    await screenshotBothWidths(page, 'account-top-up');
    await page.getByRole('button', { name: 'Pay with card: Starter pack' }).click();

    // The browser is on Stripe's (fake) hosted Checkout page for this order's amount.
    await page.waitForURL(new RegExp(`^${stripe.url}/pay/cs_test_\\w+$`));
    await expect(page.locator('h1').textContent()).resolves.toBe('Pay 499 usd');
    const session = [...stripe.sessions.values()].at(-1)!;
    const orders = (
      await api().get('/api/billing/orders').set('Authorization', `Bearer ${buyer.accessToken}`).expect(200)
    ).body as ListResponse<PaymentOrderView>;
    expect(orders.items).toHaveLength(1);
    const order = orders.items[0]!;
    expect(order).toMatchObject({ status: 'pending', credits: 5000, amountCents: 499, currency: 'usd' });
    expect(session.success_url).toBe(`${backend.baseUrl}/admin/top-up?order=${order.id}&checkout=success`);

    // Back from Checkout: the return URL leads to the top-up page, which shows the order pending…
    await page.goto(session.success_url);
    await page.waitForURL(url(`/account/top-up?order=${order.id}&checkout=success`));
    await expect(page.getByTestId('checkout-return').textContent()).resolves.toContain(
      'as soon as Stripe confirms the payment',
    );
    const orderRow = page.locator(`tr[data-order-id="${order.id}"]`);
    await orderRow.getByTestId('order-status').filter({ hasText: 'Pending' }).waitFor();
    await screenshotBothWidths(page, 'account-order-pending');
    expect(await accountOf(database.pool(), buyer.user.id)).toEqual({ balance: 1000, held: 0 });

    // …until Stripe's signed event arrives: then it turns Paid and the credits are there.
    const { payload, signature } = FakeStripe.signed(
      stripe.event('checkout.session.completed', session, { payment_status: 'paid', status: 'complete' }),
      STRIPE_WEBHOOK_SECRET,
    );
    await api()
      .post('/api/billing/stripe/webhook')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', signature)
      .send(payload)
      .expect(200);
    await orderRow.getByTestId('order-status').filter({ hasText: 'Paid' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('top-up-balance').filter({ hasText: '6,000' }).waitFor();
    expect(await accountOf(database.pool(), buyer.user.id)).toEqual({ balance: 6000, held: 0 });
    await expectNoOverflowOnAPhone();
  });
});
