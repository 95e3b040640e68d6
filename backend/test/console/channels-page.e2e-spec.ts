// Functions passed to page.evaluate() run in the browser, with its DOM.
/// <reference lib="dom" />
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { BackendProcess } from '#test/support/backend-process.js';
import { DESKTOP, launchChromium, PHONE, screenshotBothWidths } from '#test/support/browser.js';
import {
  closeConsolePage,
  CONSOLE_BUILD,
  type ConsolePage,
  expectNowhereInThePage,
  openConsolePage,
  requireConsoleBuild,
  submitSignIn,
  startConsoleBackend,
  stopConsoleBackend,
} from '#test/support/console-e2e.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { FakeDeepSeek } from '#test/support/fake-deepseek.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const ADMIN = { email: 'channels-admin@example.test', password: 'channels-admin-password' };
/** A fresh key per run: whatever contains it learnt it from this test. */
const API_KEY = `sk-e2e-${randomBytes(16).toString('hex')}`;
const CHANNEL = 'backup-deepseek';

/**
 * The Channels page as an admin uses it — the production console served by the real backend, in
 * Debian's Chromium — against a fake DeepSeek that accepts only this test's key: adding a channel,
 * seeing its balance, testing it, switching it off and on, deleting it. The key goes in once and is
 * never seen again: not in the page, not in any API answer, not in the console's bundle.
 */
describe('Channels page in Chromium', () => {
  let database: TestDatabase;
  let upstream: FakeDeepSeek;
  let backend: BackendProcess;
  let browser: Browser;
  /** The current test's browser profile, with what its page reported. */
  let opened: ConsolePage;
  let page: Page;

  const url = (path: string) => `${backend.baseUrl}/admin${path}`;
  const row = (): Locator => page.locator(`tr[data-channel="${CHANNEL}"]`);

  async function signIn(): Promise<void> {
    await submitSignIn(page, backend.baseUrl, ADMIN.email, ADMIN.password);
    await page.waitForURL(url('/dashboard'));
  }

  /** Every script, style and page the backend serves at /admin, fetched as a browser would. */
  async function expectKeyInNoServedConsoleFile(): Promise<void> {
    const files = (await readdir(dirname(CONSOLE_BUILD), { recursive: true })).filter((file) =>
      /\.(js|css|html)$/.test(file),
    );
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    for (const file of files) {
      const response = await fetch(url(`/${file}`));
      const text = await response.text();
      expect({ file, status: response.status, hasKey: text.includes(API_KEY) }).toEqual({
        file,
        status: 200,
        hasKey: false,
      });
    }
  }

  const upstreamChats = () => upstream.requests.filter((request) => request.path.endsWith('/chat/completions'));

  async function channelRow(): Promise<{ enabled: boolean; ciphertext: string } | undefined> {
    const result = await database
      .pool()
      .query<{ enabled: boolean; ciphertext: string }>(
        'SELECT enabled, api_key_ciphertext AS ciphertext FROM channels WHERE name = $1::text',
        [CHANNEL],
      );
    return result.rows[0];
  }

  beforeAll(async () => {
    requireConsoleBuild();
    database = await createTestDatabase();
    upstream = await FakeDeepSeek.start({ apiKey: API_KEY });
    backend = await startConsoleBackend(database.url, {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      AI_TIMEOUT_MS: '5000',
      RATE_LIMIT_LOGIN_PER_MIN: '1000',
    });
    browser = await launchChromium();
  });

  beforeEach(async () => {
    opened = await openConsolePage(browser);
    page = opened.page;
  });

  afterEach(async () => {
    await closeConsolePage(opened);
    await expectCreditInvariants(database.pool());
  });

  afterAll(async () => {
    await browser.close();
    await stopConsoleBackend(backend);
    await upstream.stop();
    await database.drop();
  });

  it('adds a DeepSeek channel, shows its balance and only its last 4 key characters, tests it, switches it off and on, edits it keeping the key, deletes it', async () => {
    await signIn();
    await page.getByRole('link', { name: 'Channels' }).click();
    await page.waitForURL(url('/channels'));
    await page.getByText('No channels yet').waitFor();

    // Add: the key goes in once, into a password field.
    await page.getByTestId('add-channel').click();
    await page.getByTestId('channel-name').fill(CHANNEL);
    await page.getByTestId('channel-base-url').fill(upstream.url);
    const keyField = page.getByTestId('channel-api-key');
    await expect(keyField.getAttribute('type')).resolves.toBe('password');
    await keyField.fill(API_KEY);
    await page.getByTestId('channel-models').click();
    await page.getByRole('option', { name: /^deepseek-flash/ }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('option').first().waitFor({ state: 'detached' });
    await page.getByTestId('channel-save').click();

    await page.getByText(`Channel ${CHANNEL} added.`).waitFor();
    await row().waitFor();
    const lastFour = API_KEY.slice(-4);
    await expect(row().getByTestId('channel-key').textContent()).resolves.toBe(`•••• ${lastFour}`);
    // Nothing longer than the last four is on the row.
    await expect(row().textContent()).resolves.not.toContain(API_KEY.slice(-5));
    await row().getByTestId('channel-balance').filter({ hasText: 'USD 10.00' }).waitFor();
    await expect(row().getByTestId('channel-state').textContent()).resolves.toContain('Healthy');
    await expect(row().getByTestId('channel-models-cell').textContent()).resolves.toContain('deepseek-flash');
    const stored = await channelRow();
    expect(stored?.enabled).toBe(true);
    // Encrypted at rest: the database never holds the key in clear.
    expect(stored?.ciphertext.includes(API_KEY)).toBe(false);
    await expectNowhereInThePage(page, API_KEY);
    await screenshotBothWidths(page, 'channels');
    // On a phone the table drops to three columns and keeps to the screen: no sideways scrolling.
    await page.setViewportSize(PHONE);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="channels-table"] th').length === 3);
    await expect(page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).resolves.toBe(0);
    await page.setViewportSize(DESKTOP);

    // Test: one real completion, through the fake that accepts only this key.
    const chatsBefore = upstreamChats().length;
    await row().getByTestId('channel-test').click();
    await row()
      .getByTestId('channel-test-result')
      .filter({ hasText: /^\s*OK · [\d,]+ ms\s*$/ })
      .waitFor();
    expect(upstreamChats()).toHaveLength(chatsBefore + 1);
    expect(upstreamChats().at(-1)?.authorization).toBe(`Bearer ${API_KEY}`);

    // Off, then on again: the state follows, and so does the database.
    await row()
      .getByRole('switch', { name: `${CHANNEL} enabled` })
      .click();
    await row().getByTestId('channel-state').filter({ hasText: 'Turned off by an admin' }).waitFor();
    expect((await channelRow())?.enabled).toBe(false);
    await row()
      .getByRole('switch', { name: `${CHANNEL} enabled` })
      .click();
    await row().getByTestId('channel-state').filter({ hasText: 'Healthy' }).waitFor();
    expect((await channelRow())?.enabled).toBe(true);

    // Edit: the key field starts empty, and saving without a new key keeps the old one working.
    await row().getByTestId('channel-edit').click();
    await expect(page.getByTestId('channel-api-key').inputValue()).resolves.toBe('');
    await expectNowhereInThePage(page, API_KEY);
    await page.getByTestId('channel-weight').fill('3');
    await page.getByTestId('channel-save').click();
    await page.getByText(`Channel ${CHANNEL} saved.`).waitFor();
    await row()
      .getByTestId('channel-routing')
      .filter({ hasText: /^\s*0 \/ 3\s*$/ })
      .waitFor();
    await row().getByTestId('channel-test').click();
    await page.getByText(`${CHANNEL} answered in`).waitFor();
    expect(upstreamChats()).toHaveLength(chatsBefore + 2);
    expect(upstreamChats().at(-1)?.authorization).toBe(`Bearer ${API_KEY}`);
    await expect(row().getByTestId('channel-key').textContent()).resolves.toBe(`•••• ${lastFour}`);

    await expectNowhereInThePage(page, API_KEY);
    await expectKeyInNoServedConsoleFile();
    // No API answer the page received carried the key (the POST that sent it is a request, not an answer).
    const answers = await Promise.all(opened.apiAnswers);
    expect(
      answers.filter((answer) => answer.startsWith('POST') && answer.includes('/api/admin/channels')),
    ).toHaveLength(3);
    expect(answers.filter((answer) => answer.includes(API_KEY))).toEqual([]);

    // Delete, after a confirmation.
    await row().getByTestId('channel-delete').click();
    await page.getByTestId('confirm').click();
    await page.getByText(`Channel ${CHANNEL} deleted.`).waitFor();
    await row().waitFor({ state: 'detached' });
    await expect(channelRow()).resolves.toBeUndefined();
  });
});
