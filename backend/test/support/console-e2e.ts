// Functions passed to page.evaluate() run in the browser, with its DOM.
/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';
import { type BackendProcess, startTestBackend, waitForOk } from '#test/support/backend-process.js';
import { DESKTOP } from '#test/support/browser.js';

/** The console's production build, which the built backend serves at /admin. */
export const CONSOLE_BUILD = join(findWorkspaceRoot(), 'admin-console', 'dist', 'browser', 'index.html');

/** Fails a console e2e file at once, and says why, when the console has not been built. */
export function requireConsoleBuild(): void {
  if (!existsSync(CONSOLE_BUILD)) throw new Error(`No console build at ${CONSOLE_BUILD}: run npm run build first`);
}

/** The built backend on its own database, as the console e2e files drive it: started and ready. */
export async function startConsoleBackend(databaseUrl: string, env: Record<string, string>): Promise<BackendProcess> {
  const backend = await startTestBackend(databaseUrl, env);
  await waitForOk(backend, '/health/ready');
  return backend;
}

/** Ends the backend started by `startConsoleBackend` and waits until it has exited. */
export async function stopConsoleBackend(backend: BackendProcess): Promise<void> {
  backend.child.kill('SIGTERM');
  await backend.exited;
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /**
   * Script errors and console errors (CSP violations among them) since the page opened. An API
   * answering 4xx/5xx is logged by the browser too ("Failed to load resource"); those answers are
   * asserted by the tests, so they are not counted here.
   */
  problems: string[];
  /** Every /api/ answer the page received, as "METHOD url\nbody" (read as they arrive). */
  apiAnswers: Promise<string>[];
}

export interface ConsolePageOptions {
  acceptDownloads?: boolean;
  /** Lets the page's copy buttons write to the clipboard, and the test read it back, on this origin. */
  clipboardOrigin?: string;
}

/** A fresh browser profile at desktop size: no session carried over (it lives in sessionStorage). */
export async function openConsolePage(browser: Browser, options: ConsolePageOptions = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: options.acceptDownloads ?? false });
  if (options.clipboardOrigin !== undefined) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: options.clipboardOrigin });
  }
  const page = await context.newPage();
  const problems: string[] = [];
  const apiAnswers: Promise<string>[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(message.text());
    }
  });
  page.on('response', (response) => {
    if (!new URL(response.url()).pathname.startsWith('/api/')) return;
    apiAnswers.push(
      response
        .text()
        .then((body) => `${response.request().method()} ${response.url()}\n${body}`)
        // A 202 or 204 may have no body to read.
        .catch(() => `${response.request().method()} ${response.url()}`),
    );
  });
  return { context, page, problems, apiAnswers };
}

/** Closes the test's browser profile; the page must not have reported a problem. */
export async function closeConsolePage(opened: ConsolePage): Promise<void> {
  await opened.context.close();
  expect(opened.problems).toEqual([]);
}

/** Fills in and sends the console's sign-in form; where it leads is the test's to check. */
export async function submitSignIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/admin/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The secret is neither in the page's HTML nor in its session or local storage. */
export async function expectNowhereInThePage(page: Page, secret: string): Promise<void> {
  expect((await page.content()).includes(secret)).toBe(false);
  const stored = await page.evaluate(() =>
    [sessionStorage, localStorage]
      .flatMap((storage) => Object.keys(storage).map((name) => storage.getItem(name) ?? ''))
      .join('\n'),
  );
  expect(stored.includes(secret)).toBe(false);
}

/**
 * Opens a dialog with `opener` and waits until the dialog holds the focus: Material moves the focus
 * into a dialog when its opening animation ends, and text typed before that can land in whichever
 * field then takes the focus (slow machines show it; a form left invalid never submits).
 */
export async function openDialog(page: Page, opener: Locator): Promise<void> {
  await opener.click();
  await page.waitForFunction(() => document.activeElement?.closest('[role="dialog"]') != null);
}
