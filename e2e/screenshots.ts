/**
 * `npm run screenshots`: redraws the README's pictures of the page right after
 * one click on GET /items/{id}, at 1366×768 and at 375 px, from the stack that
 * is running (`npm start`, or `npm run stack`, with the same port variables).
 * Debian's chromium, as in the tests; writes docs/screenshot-1366.png and
 * docs/screenshot-375.png. `-- --dark` draws the dark scheme instead, into
 * test-results/ (git-ignored): to look at, not for the README.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { loadStackConfig } from '@tracing-demo/stack';
import { chromiumLaunchOptions } from '@tracing-demo/stack/chromium';

const dark = process.argv.includes('--dark');
const OUT = fileURLToPath(new URL(dark ? '../test-results/' : '../docs/', import.meta.url));
const stack = loadStackConfig();

interface Shot {
  file: string;
  viewport: { width: number; height: number };
  /** How many screens to keep from where the page is after the click (a phone scrolls to the result). */
  screens: number;
}

const SHOTS: Shot[] = [
  { file: 'screenshot-1366', viewport: { width: 1366, height: 768 }, screens: 1 },
  { file: 'screenshot-375', viewport: { width: 375, height: 667 }, screens: 2 },
];

async function shoot(browser: Browser, shot: Shot): Promise<string> {
  const context = await browser.newContext({
    viewport: shot.viewport,
    deviceScaleFactor: 1,
    colorScheme: dark ? 'dark' : 'light',
    // The page's scroll to the result is then instant: no picture of a scroll half done.
    reducedMotion: 'reduce',
  });
  try {
    const page = await context.newPage();
    await page.goto(stack.web.url);
    // The status strip as it normally is, every part reachable.
    for (const part of ['status-collector', 'status-jaeger', 'status-inventory']) {
      await page.getByTestId(part).and(page.locator('[data-reachable="true"]')).waitFor();
    }
    await page.getByTestId('item-button').click();
    const traceId = await page.getByTestId('trace-id').textContent();
    await page
      .locator(`[data-testid="waterfall"][data-trace-id="${traceId}"][data-complete="true"]`)
      .waitFor({ timeout: 30_000 });
    const scrollY = await page.evaluate(() => window.scrollY);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const { width, height: screen } = shot.viewport;
    const png = await page.screenshot({
      fullPage: true,
      clip: { x: 0, y: scrollY, width, height: Math.min(screen * shot.screens, height - scrollY) },
    });
    const path = `${OUT}${shot.file}${dark ? '-dark' : ''}.png`;
    writeFileSync(path, png);
    return `${path} (${Math.round(png.length / 1024)} KB)`;
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  try {
    await fetch(stack.web.url);
  } catch {
    console.error(
      `✖ Nothing answers at ${stack.web.url}: start the stack first (\`npm start\`, with the same port variables).`,
    );
    process.exit(1);
  }
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    for (const shot of SHOTS) console.log(`wrote ${await shoot(browser, shot)}`);
  } finally {
    await browser.close();
  }
}

await main();
