// The admin console's first load in Debian's Chromium: a fresh browser profile each time (no cache),
// from navigation start until the login form can be used. Answers milliseconds, or null without Chromium.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const LOADS = 5;

export async function measureConsoleFirstLoad(baseUrl) {
  if (!existsSync(CHROMIUM)) return null;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  const timings = [];
  try {
    for (let load = 0; load < LOADS; load += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/admin/`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      // performance.now() counts from this document's navigation start, redirects included.
      timings.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  timings.sort((a, b) => a - b);
  return { median: timings[Math.floor(LOADS / 2)], max: timings[LOADS - 1] };
}
