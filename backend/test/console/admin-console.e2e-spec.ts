// Functions passed to page.evaluate() run in the browser, with its DOM.
/// <reference lib="dom" />
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import request from 'supertest';
import {
  type AuthResponse,
  type ChatResponse,
  type CreatedApiKey,
  type ErrorBody,
  ErrorCode,
  type ListResponse,
  type ModelView,
} from '#src/contract/index.js';
import type { BackendProcess } from '#test/support/backend-process.js';
import { DESKTOP, launchChromium, PHONE, SCREENSHOT_DIR, screenshotBothWidths } from '#test/support/browser.js';
import {
  closeConsolePage,
  CONSOLE_BUILD,
  type ConsolePage,
  openConsolePage,
  openDialog,
  requireConsoleBuild,
  submitSignIn,
  startConsoleBackend,
  stopConsoleBackend,
} from '#test/support/console-e2e.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { registerUser, TEST_PASSWORD } from '#test/support/sessions.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const ADMIN = { email: 'ops@example.test', password: 'console-admin-password' };

/**
 * The admin console as operations staff use it: the production build, served by the real backend
 * (`dist/main.js`, demo mode) on a database of its own, driven in Debian's Chromium.
 */
describe('admin console in Chromium', () => {
  let database: TestDatabase;
  let backend: BackendProcess;
  let browser: Browser;
  /** The current test's browser profile, with what its page reported. */
  let opened: ConsolePage;
  let page: Page;
  /** Users with some history, so the dashboard, tables and filters have something to show. */
  const customers: AuthResponse[] = [];

  const api = () => request(backend.baseUrl);
  const url = (path: string) => `${backend.baseUrl}/admin${path}`;

  const register = (email: string): Promise<AuthResponse> => registerUser(backend.baseUrl, email);

  async function chat(session: AuthResponse, model: string, expected: number): Promise<void> {
    await api()
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ prompt: `A question for ${model}`, model })
      .expect(expected);
  }

  async function signIn(email = ADMIN.email, password = ADMIN.password): Promise<void> {
    await submitSignIn(page, backend.baseUrl, email, password);
  }

  beforeAll(async () => {
    requireConsoleBuild();
    database = await createTestDatabase();
    backend = await startConsoleBackend(database.url, {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      AI_TIMEOUT_MS: '2000',
      RATE_LIMIT_LOGIN_PER_MIN: '1000',
      RATE_LIMIT_REGISTER_PER_MIN: '1000',
      RATE_LIMIT_CHAT_PER_MIN: '1000',
    });
    for (const email of ['ada@example.test', 'grace@example.test', 'linus@example.test']) {
      const session = await register(email);
      customers.push(session);
      await chat(session, 'demo-chat', 200);
      await chat(session, 'demo-chat', 200);
      await chat(session, 'demo-error', 500);
      await chat(session, 'demo-empty', 500);
    }
    browser = await launchChromium();
  });

  beforeEach(async () => {
    opened = await openConsolePage(browser, { acceptDownloads: true });
    page = opened.page;
  });

  afterEach(async () => {
    await closeConsolePage(opened);
    await expectCreditInvariants(database.pool());
  });

  afterAll(async () => {
    await browser.close();
    await stopConsoleBackend(backend);
    await database.drop();
  });

  it('gives a normal user their own pages, never the admin pages', async () => {
    await signIn('ada@example.test', TEST_PASSWORD);

    await page.waitForURL(url('/account'));
    await page.getByTestId('balance').waitFor();
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.goto(url('/users'));
    await page.waitForURL(url('/account'));
    // The user area is tested in user-area.e2e-spec.ts.
  });

  it('signs the admin in to a dashboard that shows the real figures and charts', async () => {
    await signIn();

    await page.waitForURL(url('/dashboard'));
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe(ADMIN.email);
    await page.getByTestId('total-requests').waitFor();
    await expect(page.getByTestId('total-requests').textContent()).resolves.toBe(String(customers.length * 4));
    expect(await page.locator('canvas').count()).toBe(3);
    const topUsers = await page.getByTestId('top-users').textContent();
    for (const customer of customers) expect(topUsers).toContain(customer.user.email);
    await screenshotBothWidths(page, 'dashboard');
  });

  it('keeps the session across a reload and ends it on sign-out', async () => {
    await signIn();
    await page.waitForURL(url('/dashboard'));

    await page.goto(url('/users'));
    await page.getByTestId('users-table').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();

    await page.waitForURL(/\/admin\/login/);
    await page.getByText('You are signed out.').waitFor();
    await page.goto(url('/users'));
    await page.waitForURL(/\/admin\/login\?returnUrl=%2Fusers/);
  });

  it('finds a user, recharges with a reason, and shows the new balance and ledger row', async () => {
    const grace = customers[1]!;
    const before = await accountOf(database.pool(), grace.user.id);
    await signIn();
    await page.waitForURL(url('/dashboard'));

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByTestId('user-search').fill('GRACE');
    await page.getByRole('link', { name: grace.user.email }).click();
    await openDialog(page, page.getByTestId('open-recharge'));
    await page.getByTestId('recharge-amount').fill('250');
    await page.getByTestId('recharge-reason').fill('Goodwill after the outage');
    await page.getByTestId('recharge-review').click();
    await expect(page.getByTestId('recharge-summary').textContent()).resolves.toContain('250');
    await page.getByTestId('recharge-confirm').click();

    await page.getByText('Credits added.').waitFor();
    await page
      .getByTestId('balance')
      .filter({ hasText: (before.balance + 250).toLocaleString('en-US') })
      .waitFor();
    const firstLedgerRow = page.getByTestId('ledger-table').locator('tr[mat-row]').first();
    await expect(firstLedgerRow.textContent()).resolves.toMatch(/Recharge.*\+250.*Goodwill after the outage/);
    expect(await accountOf(database.pool(), grace.user.id)).toEqual({ balance: before.balance + 250, held: 0 });
    await screenshotBothWidths(page, 'user-recharged');
  });

  it('disables a user and enables them again, each after a confirmation with a reason for the audit log', async () => {
    const target = await register('to-disable@example.test');
    await signIn();
    await page.waitForURL(url('/dashboard'));
    await page.goto(url(`/users/${target.user.id}`));

    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByLabel('Reason (kept in the audit log)').fill('Chargeback under review');
    await page.getByTestId('confirm').click();
    await page.locator('.pill.off', { hasText: 'disabled' }).waitFor();
    await expect(
      api()
        .get('/api/me')
        .set('Authorization', `Bearer ${target.accessToken}`)
        .then((response) => response.status),
    ).resolves.toBe(403);

    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByTestId('confirm').click();
    await page.locator('.pill.off').waitFor({ state: 'detached' });
    await expect(
      api()
        .get('/api/me')
        .set('Authorization', `Bearer ${target.accessToken}`)
        .then((response) => response.status),
    ).resolves.toBe(200);
    const audit = await database
      .pool()
      .query<{ reason: string | null }>(
        `SELECT reason FROM audit_log WHERE target_id = $1::text AND action LIKE 'user.%' ORDER BY id`,
        [target.user.id],
      );
    expect(audit.rows).toEqual([{ reason: 'Chargeback under review' }, { reason: null }]);
  });

  it('charges a double-clicked recharge once', async () => {
    const linus = customers[2]!;
    const before = await accountOf(database.pool(), linus.user.id);
    await signIn();
    await page.waitForURL(url('/dashboard'));

    await page.goto(url(`/users/${linus.user.id}`));
    await openDialog(page, page.getByTestId('open-recharge'));
    await page.getByTestId('recharge-amount').fill('40');
    await page.getByTestId('recharge-reason').fill('Double-click test');
    await page.getByTestId('recharge-review').click();
    await page.getByTestId('recharge-confirm').dblclick();

    await page.getByText('Credits added.').waitFor();
    const recharges = await database
      .pool()
      .query(`SELECT amount FROM credit_ledger WHERE user_id = $1::uuid AND kind = 'recharge'`, [linus.user.id]);
    expect(recharges.rows).toEqual([{ amount: '40' }]);
    expect(await accountOf(database.pool(), linus.user.id)).toEqual({ balance: before.balance + 40, held: 0 });
  });

  it('filters usage by outcome and downloads exactly the filtered rows as CSV', async () => {
    await signIn();
    await page.waitForURL(url('/dashboard'));

    await page.goto(url('/usage'));
    await page.getByTestId('usage-table').waitFor();
    await page.getByTestId('usage-status').click();
    await page.getByRole('option', { name: 'Provider error' }).click();
    await page.waitForFunction(() => {
      const chips = Array.from(document.querySelectorAll('[data-testid="usage-table"] cg-status-chip'));
      return chips.length > 0 && chips.every((chip) => chip.textContent.trim() === 'Provider error');
    });
    const shown = await page.getByTestId('usage-table').locator('cg-status-chip').allTextContents();
    expect(shown.map((text) => text.trim())).toEqual(customers.map(() => 'Provider error'));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toContain('status');
    expect(rows).toHaveLength(customers.length);
    expect(rows.every((row) => row.includes('provider_error'))).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^usage-\d{4}-\d{2}-\d{2}\.csv$/);
    await screenshotBothWidths(page, 'usage-filtered');
  });

  it('edits a price, its cache-hit rate and off-peak percentage, and sees them in the table, in the price users see, and in the audit trail', async () => {
    await signIn();
    await page.waitForURL(url('/dashboard'));

    await page.goto(url('/models'));
    await page.getByTestId('peak-now').waitFor();
    await openDialog(page, page.getByRole('button', { name: 'Edit the price of demo-slow' }));
    await page.getByTestId('price-request').fill('7');
    await page.getByTestId('price-cached-input').fill('0.25');
    await page.getByTestId('price-off-peak').fill('40');
    await page.getByTestId('price-reason').fill('Slow costs more');
    await page.getByTestId('price-save').click();

    await page.getByText('Price of demo-slow saved.').waitFor();
    // The table reloads after the dialog closes: wait for the new price rather than read the old one.
    const row = page.locator('tr[data-model="demo-slow"]');
    await row
      .getByTestId('model-request')
      .filter({ hasText: /^\s*7\s*$/ })
      .waitFor();
    await expect(row.getByTestId('model-cached-input').textContent()).resolves.toMatch(/^\s*0\.25\s*$/);
    await expect(row.getByTestId('model-off-peak').textContent()).resolves.toMatch(/^\s*40 %\s*$/);
    const audit = page.getByTestId('audit-table');
    await audit.filter({ hasText: 'per request 1 → 7' }).waitFor();
    await expect(audit.textContent()).resolves.toMatch(/cache hit\/1k .* → 0\.25; .*off-peak % 100 → 40/);
    await expect(audit.textContent()).resolves.toContain('Slow costs more');
    const models = (
      await api().get('/api/ai/models').set('Authorization', `Bearer ${customers[0]!.accessToken}`).expect(200)
    ).body as ListResponse<ModelView>;
    expect(models.items.find((model) => model.model === 'demo-slow')).toMatchObject({
      requestCredits: 7,
      cachedInputCreditsPer1k: 0.25,
      offPeakPercent: 40,
    });
    await screenshotBothWidths(page, 'models-edited');
  });

  it('adds a holiday to the peak hours and sees it saved and audited', async () => {
    await signIn();
    await page.waitForURL(url('/dashboard'));
    await page.goto(url('/models'));

    const holidaysBefore = await database
      .pool()
      .query<{ count: number }>('SELECT cardinality(holidays) AS count FROM peak_calendar');
    await openDialog(page, page.getByTestId('edit-peak-hours'));
    await page.getByTestId('peak-holiday-date').fill('2027-02-08');
    await page.getByTestId('peak-holiday-add').click();
    await page.getByRole('button', { name: 'Remove holiday 2027-02-08' }).waitFor();
    await page.getByTestId('peak-reason').fill('Spring Festival 2027');
    await screenshotBothWidths(page, 'peak-hours-dialog');
    await page.getByTestId('peak-save').click();

    await page.getByText('Peak hours saved.').waitFor();
    await page.getByTestId('peak-audit-table').filter({ hasText: 'holidays +2027-02-08' }).waitFor();
    await expect(page.getByTestId('peak-audit-table').textContent()).resolves.toContain('Spring Festival 2027');
    const calendar = await database.pool().query<{ saved: boolean; zone: string; count: number }>(
      `SELECT '2027-02-08'::date = ANY (holidays) AS saved, time_zone AS zone, cardinality(holidays) AS count
         FROM peak_calendar`,
    );
    // Everything else is as it was: the seeded zone and every seeded holiday, plus the new one.
    expect(calendar.rows).toEqual([{ saved: true, zone: 'Asia/Shanghai', count: holidaysBefore.rows[0]!.count + 1 }]);
  });

  it('runs the demo lab through a model that answers and one that fails for free', async () => {
    const ada = customers[0]!;
    await signIn();
    await page.waitForURL(url('/dashboard'));
    await page.goto(url('/demo-lab'));

    // As another user: ada pays for the answer.
    await page.getByTestId('user-picker').fill('ada@');
    await page.getByRole('option', { name: ada.user.email }).click();
    const adaBefore = await accountOf(database.pool(), ada.user.id);
    await page.getByTestId('lab-model').click();
    await page.getByRole('option', { name: /^demo-chat/ }).click();
    await page.getByTestId('lab-send').click();
    await page.getByTestId('lab-answer').waitFor();
    const charged = Number(await page.getByTestId('lab-charged').textContent());
    expect(charged).toBeGreaterThan(0);
    expect(await accountOf(database.pool(), ada.user.id)).toEqual({ balance: adaBefore.balance - charged, held: 0 });
    await expect(page.getByTestId('lab-usage-row').textContent()).resolves.toContain('Success');
    // Thinking is on by default: the reasoning is there, folded away until opened.
    await page.getByTestId('lab-reasoning').locator('summary').click();
    await expect(page.getByTestId('lab-reasoning').textContent()).resolves.toContain('Demo thinking');
    await screenshotBothWidths(page, 'demo-lab-success');

    // As myself, with a model that fails: nothing is charged and the usage row says why.
    await page.getByRole('button', { name: 'Clear Another user' }).click();
    await page.getByTestId('lab-self').waitFor();
    await page.getByTestId('lab-model').click();
    await page.getByRole('option', { name: /^demo-error/ }).click();
    await page.getByTestId('lab-send').click();
    await page.getByTestId('lab-outcome').filter({ hasText: 'AI_PROVIDER_ERROR' }).waitFor();
    await expect(page.getByTestId('lab-charged').textContent()).resolves.toBe('0');
    await expect(page.getByTestId('lab-usage-row').textContent()).resolves.toContain('Provider error');
    const admin = await database
      .pool()
      .query<{ balance: string }>(
        `SELECT a.balance FROM credit_accounts a JOIN users u ON u.id = a.user_id WHERE u.email = $1::text`,
        [ADMIN.email],
      );
    expect(admin.rows).toEqual([{ balance: '1000' }]);
    await screenshotBothWidths(page, 'demo-lab-failure');
  });

  it('shows the demo lab a tool call with the reasoning, and a JSON answer with thinking off', async () => {
    const grace = customers[1]!;
    await signIn();
    await page.waitForURL(url('/dashboard'));
    await page.goto(url('/demo-lab'));
    await page.getByTestId('user-picker').fill('grace@');
    await page.getByRole('option', { name: grace.user.email }).click();
    await page.getByTestId('lab-model').click();
    await page.getByRole('option', { name: /^demo-chat/ }).click();

    // A sample tool on offer: the model calls it, and the call is what is charged.
    const before = await accountOf(database.pool(), grace.user.id);
    await page.getByRole('switch', { name: 'Offer a sample tool' }).click();
    await page.getByTestId('lab-prompt').fill('What is the weather in Hangzhou?');
    await page.getByTestId('lab-send').click();
    const toolCall = page.getByTestId('lab-tool-call');
    await toolCall.waitFor();
    await expect(toolCall.textContent()).resolves.toMatch(/get_weather.*\{"city":"demo"\}/s);
    await expect(page.getByTestId('lab-finish').textContent()).resolves.toContain('tool_calls');
    await expect(page.getByTestId('lab-reasoning').locator('summary').textContent()).resolves.toMatch(
      /Reasoning \(\d+ tokens\)/,
    );
    await expect(page.getByTestId('lab-output-tokens').textContent()).resolves.toMatch(/\d+ \([1-9]\d*\)/);
    const charged = Number(await page.getByTestId('lab-charged').textContent());
    expect(charged).toBeGreaterThan(0);
    expect(await accountOf(database.pool(), grace.user.id)).toEqual({ balance: before.balance - charged, held: 0 });
    await screenshotBothWidths(page, 'demo-lab-tool-call');

    // JSON mode with thinking off: a JSON answer and no reasoning.
    await page.getByRole('switch', { name: 'Offer a sample tool' }).click();
    await page.getByRole('switch', { name: 'JSON mode' }).click();
    await page.getByTestId('lab-thinking').getByRole('radio', { name: 'Off' }).click();
    await page.getByTestId('lab-prompt').fill('Answer in JSON: what is a credit?');
    await page.getByTestId('lab-send').click();
    await page.getByTestId('lab-answer').filter({ hasText: 'a demo answer in JSON mode' }).waitFor();
    expect(JSON.parse((await page.getByTestId('lab-answer').textContent()) ?? '')).toMatchObject({
      answer: 'a demo answer in JSON mode',
    });
    expect(await page.getByTestId('lab-reasoning').count()).toBe(0);
    expect(await page.getByTestId('lab-tool-call').count()).toBe(0);
    await expect(page.getByTestId('lab-finish').textContent()).resolves.toContain('stop');
  });

  it('ships no secret and no server-only setting in the console bundle', async () => {
    const dist = dirname(CONSOLE_BUILD);
    const files = (await readdir(dist, { recursive: true })).filter((file) => /\.(js|css|html)$/.test(file));
    const bundle = (await Promise.all(files.map((file) => readFile(join(dist, file), 'utf8')))).join('\n');

    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    for (const secretish of [
      'JWT_SECRET',
      'DEEPSEEK_API_KEY',
      'DATABASE_URL',
      'ADMIN_PASSWORD',
      'POSTGRES_PASSWORD',
      ADMIN.password,
      'api.deepseek.com',
    ]) {
      expect({ secretish, found: bundle.includes(secretish) }).toEqual({ secretish, found: false });
    }
  });

  it('shows a user’s keys with their spend, sets the user’s spend limit, edits a key’s budget and revokes the key', async () => {
    const owner = await register('keys@example.test');
    const created = await api()
      .post('/api/keys')
      .set('Authorization', `Bearer ${owner.accessToken}`)
      .send({ name: 'shop backend', budget: { credits: 500, period: 'day' }, models: ['demo-chat'] })
      .expect(201);
    const key = created.body as CreatedApiKey;
    const keyChat = () =>
      api()
        .post('/api/ai/chat')
        .set('Authorization', `Bearer ${key.key}`)
        .send({ prompt: 'A question', model: 'demo-chat', maxTokens: 10 });
    const charged = ((await keyChat().expect(200)).body as ChatResponse).creditsCharged;
    await signIn();
    await page.waitForURL(url('/dashboard'));
    await page.goto(url(`/users/${owner.user.id}`));

    const keyRow = page.getByTestId('api-key-table').locator('tr[mat-row]', { hasText: 'shop backend' });
    /** 'closed' once a dialog saved and closed, else the error it shows (the saved state, not a passing snack bar). */
    const dialogOutcome = (errorTestId: string): Promise<string | null> =>
      Promise.race([
        page
          .getByRole('dialog')
          .waitFor({ state: 'detached' })
          .then(() => 'closed'),
        page
          .getByTestId(errorTestId)
          .waitFor()
          .then(() => page.getByTestId(errorTestId).textContent()),
      ]);
    const words = async (locator: Locator) => (await locator.textContent())?.replace(/\s+/g, ' ').trim();
    await expect(words(keyRow.getByTestId('period-spend'))).resolves.toBe(`${charged} of 500 credits this UTC day`);
    await expect(keyRow.getByTestId('key-limits').textContent()).resolves.toContain('demo-chat');
    await expect(page.getByTestId('spend-limit').textContent()).resolves.toContain('No spend limit');
    await page.setViewportSize(PHONE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBe(0);
    await page.setViewportSize(DESKTOP);

    await openDialog(page, page.getByTestId('edit-spend-limit'));
    await page.getByTestId('spend-limit-credits').fill('2000');
    await page.getByLabel('Reason (kept in the audit log)').fill('Monthly cap agreed with the customer');
    await page.getByTestId('spend-limit-save').click();
    await expect(dialogOutcome('spend-limit-error')).resolves.toBe('closed');
    await page.getByTestId('spend-limit').filter({ hasText: '2,000 credits a month' }).waitFor();
    await expect(words(page.getByTestId('spend-limit').getByTestId('period-spend'))).resolves.toBe(
      `${charged} of 2,000 credits this UTC month`,
    );

    await openDialog(page, page.getByRole('button', { name: 'Edit limits of shop backend' }));
    await page.getByTestId('key-budget-credits').fill('1');
    await page.getByTestId('key-limits-reason').fill('Abuse report');
    await page.getByTestId('key-limits-save').click();
    await expect(dialogOutcome('key-limits-error')).resolves.toBe('closed');
    await keyRow.getByTestId('key-limits').filter({ hasText: '1 credit a day' }).waitFor();
    const refused = await keyChat().expect(403);
    expect((refused.body as ErrorBody).code).toBe(ErrorCode.BudgetExceeded);
    await screenshotBothWidths(page, 'user-keys-and-spend-limit');

    await page.getByRole('button', { name: 'Revoke shop backend' }).click();
    await page.getByTestId('confirm').click();
    await page.getByText('No API keys.').waitFor();
    await keyChat().expect(401);
    const audit = await database
      .pool()
      .query<{ action: string; reason: string | null }>(
        `SELECT action, reason FROM audit_log WHERE target_id = $1::text ORDER BY id`,
        [owner.user.id],
      );
    expect(audit.rows).toEqual([
      { action: 'user.spend_limit_changed', reason: 'Monthly cap agreed with the customer' },
      { action: 'api_key.limits_changed', reason: 'Abuse report' },
      { action: 'api_key.revoked', reason: null },
    ]);
    const limits = await database
      .pool()
      .query(`SELECT spend_limit_credits, spend_limit_period FROM users WHERE id = $1::uuid`, [owner.user.id]);
    expect(limits.rows).toEqual([{ spend_limit_credits: '2000', spend_limit_period: 'month' }]);
  });

  it('lays every page out for a 390 px phone without sideways scrolling, navigation in a drawer', async () => {
    await signIn();
    await page.waitForURL(url('/dashboard'));
    await page.setViewportSize(PHONE);

    for (const path of ['/dashboard', '/users', `/users/${customers[0]!.user.id}`, '/usage', '/models', '/demo-lab']) {
      await page.goto(url(path));
      await page.locator('main h1').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
    }
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.waitForURL(url('/usage'));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'phone-navigation-390.png') });
  });
});
