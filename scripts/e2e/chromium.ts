import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; `.ci/run` installs it. Never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumMissingReason = `Chromium not found at ${chromiumPath}: install it with 'apt-get install -y chromium' (.ci/run does this).`;

/** True when the end-to-end tests can run here. In CI a missing browser is a failure, not a skip. */
export function chromiumAvailable(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env.CI) throw new Error(chromiumMissingReason);
  console.warn(`e2e skipped — ${chromiumMissingReason}`);
  return false;
}

/** Headless Chromium (Playwright gives every launch a fresh temporary profile) with no background networking. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}
