// Functions passed to page.evaluate() run in the browser, with its DOM.
/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';

/** Debian's Chromium (`apt-get install chromium`); a test never lets a tool download its own browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Where e2e screenshots go (ignored by git, kept by CI as the run's evidence). */
export const SCREENSHOT_DIR = join(findWorkspaceRoot(), 'test-output', 'console-e2e');

export const DESKTOP = { width: 1280, height: 860 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Headless Chromium that can reach nothing but 127.0.0.1. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
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
}

/** Saves `name-1280.png` and `name-390.png`: the page as it looks on a desktop and on a phone. */
export async function screenshotBothWidths(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  // On a phone the side navigation becomes a closed drawer; wait until it has slid away.
  await page.waitForFunction(() => {
    const drawer = document.querySelector('mat-sidenav');
    return drawer === null || getComputedStyle(drawer).visibility === 'hidden';
  });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-390.png`), fullPage: true });
  await page.setViewportSize(original);
}
