import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../functions/src/entrypoints/local-host';
import { ensureConsoleBuilt } from '../build-console';
import { repoRoot, webDistDir } from '../paths';
import { chromiumAvailable, launchChromium } from './chromium';

const outputDir = join(repoRoot, 'test-output', 'e2e');
const runE2e = chromiumAvailable();

describe.skipIf(!runE2e)('builder in Chromium: prompt → preview with the offline generator, then a follow-up', () => {
  let host: LocalHost;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(outputDir, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-e2e-builder-'));
    host = await startLocalHost({
      port: 0,
      dataDir,
      webDistDir,
      log: () => undefined,
      builder: {
        repoRoot,
        templateDir: join(repoRoot, 'template'),
        workerEntry: join(repoRoot, 'worker-container', 'src', 'main.ts'),
        env: { HANGAR_MODEL_PROVIDER: 'offline', HANGAR_DEPENDENCY_CACHE_DIR: join(tmpdir(), 'hangar-test-dependency-cache') },
      },
    });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds a leads tracker, previews it sandboxed, and changes it on a follow-up', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(host.url);
    await page.getByTestId('sign-in-name').fill('Grace Hopper');
    await page.getByTestId('sign-in-email').fill('grace@example.com');
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('create-workspace-open').first().click();
    await page.getByTestId('create-workspace-name').fill('Sales');
    await page.getByTestId('create-workspace-submit').click();
    await page.getByTestId('workspace-title').waitFor();
    await page.getByTestId('offline-banner').first().waitFor();

    await page.getByTestId('prompt-input').fill('A tracker for customer leads with name, email, company, status and next call date');
    await page.getByTestId('prompt-submit').click();
    await page.getByTestId('plan-card').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(outputDir, 'builder-plan.png') });
    await page.getByTestId('plan-accept').click();
    await page.locator('[data-testid="run-status"][data-status="succeeded"]').first().waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('app-title').first().textContent()).toContain('Lead Tracker');
    expect(await page.locator('[data-testid="build-result"][data-ok="true"]').count()).toBeGreaterThan(0);

    await page.getByTestId('tab-preview').click();
    const preview = page.frameLocator('[data-testid="app-preview"]');
    await preview.getByRole('heading', { name: 'Lead Tracker' }).waitFor({ timeout: 30_000 });
    const sandbox = await page.getByTestId('app-preview').getAttribute('sandbox');
    expect(sandbox).not.toContain('allow-same-origin');
    await page.screenshot({ path: join(outputDir, 'builder-preview.png') });

    // A follow-up changes the app: a new field appears in the preview.
    await page.getByTestId('followup-input').fill('add a field priority');
    await page.getByTestId('followup-submit').click();
    await expect
      .poll(async () => page.locator('[data-testid="run-status"][data-status="succeeded"]').count(), { timeout: 120_000, interval: 500 })
      .toBe(2);
    await page.getByTestId('tab-preview').click();
    await preview
      .getByText(/priority/i)
      .first()
      .waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(outputDir, 'builder-follow-up.png') });

    await page.getByTestId('tab-versions').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    await page.screenshot({ path: join(outputDir, 'builder-versions.png') });
  }, 300_000);
});
