import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './chromium';
import { createWorkspaceThroughConsole, e2eOutputDir, signInThroughConsole, startTestHost, type TestHost } from './harness';
import { probeScript } from './probe-app';

const runE2e = chromiumAvailable();

describe.skipIf(!runE2e)('preview sandbox in Chromium: generated code cannot reach the console', () => {
  let test: TestHost;
  let browser: Browser;
  let scriptDir: string;

  beforeAll(async () => {
    scriptDir = mkdtempSync(join(tmpdir(), 'hangar-probe-'));
    const scriptFile = join(scriptDir, 'script.json');
    writeFileSync(scriptFile, JSON.stringify(probeScript));
    test = await startTestHost({ console: true, builderEnv: { HANGAR_MODEL_PROVIDER: 'scripted', HANGAR_SCRIPTED_TURNS: scriptFile } });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
    rmSync(scriptDir, { recursive: true, force: true });
  });

  it('reports blocked cookie, storage, parent DOM and API access', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    // Collect what the preview posts to the console window.
    await page.addInitScript(() => {
      const probes: unknown[] = [];
      (window as unknown as { __probes: unknown[] }).__probes = probes;
      window.addEventListener('message', (event: MessageEvent<{ type?: string; result?: unknown }>) => {
        if (event.data?.type === 'hangar.probe') probes.push(event.data.result);
      });
    });
    await signInThroughConsole(page, test.host.url, 'Ada', 'ada@example.com');
    await createWorkspaceThroughConsole(page, 'Security');
    // Canaries the preview must not be able to read.
    await page.evaluate(() => {
      localStorage.setItem('hangar.canary', 'console-secret');
      document.cookie = 'hangar_canary=console-secret; path=/';
    });

    await page.getByTestId('prompt-input').fill('Build the sandbox probe');
    await page.getByTestId('prompt-submit').click();
    await page.getByTestId('plan-accept').click({ timeout: 60_000 });
    await page.locator('[data-testid="run-status"][data-status="succeeded"]').first().waitFor({ timeout: 120_000 });
    await page.getByTestId('tab-preview').click();
    const frame = page.frameLocator('[data-testid="app-preview"]');
    await frame.getByTestId('probe-result').filter({ hasText: 'fetchApi' }).waitFor({ timeout: 30_000 });

    const sandbox = await page.getByTestId('app-preview').getAttribute('sandbox');
    expect(sandbox?.split(' ').sort()).toEqual(['allow-forms', 'allow-modals', 'allow-scripts']);
    const probes = await page.evaluate(() => (window as unknown as { __probes: Record<string, string>[] }).__probes);
    const result = probes[0] ?? {};
    expect(result.cookie).toMatch(/^blocked:SecurityError|^read:$/);
    expect(result.localStorage).toBe('blocked:SecurityError');
    expect(result.sessionStorage).toBe('blocked:SecurityError');
    expect(result.parentDom).toBe('blocked:SecurityError');
    expect(result.parentCookie).toBe('blocked:SecurityError');
    expect(result.topLocation).toBe('blocked:SecurityError');
    expect(result.fetchApi).toMatch(/^blocked:/);
    expect(JSON.stringify(result)).not.toContain('console-secret');
    await page.screenshot({ path: join(e2eOutputDir, 'preview-isolation.png') });
  }, 240_000);
});
