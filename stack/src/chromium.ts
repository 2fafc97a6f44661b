/**
 * How every browser of the project is launched (Playwright specs, toolkit
 * self-tests, benchmarks): Debian's chromium, never a downloaded browser.
 * As root Chromium needs --no-sandbox; the background-networking flags stop it
 * from calling Google services, which this (and many CI) networks refuse.
 */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

export interface ChromiumLaunchOptions {
  executablePath: string;
  args: string[];
}

/** Launch options for Playwright's `chromium.launch()` / `use.launchOptions`; CHROMIUM_PATH overrides the binary. */
export function chromiumLaunchOptions(
  env: Record<string, string | undefined> = process.env,
): ChromiumLaunchOptions {
  return {
    executablePath: env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH,
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
