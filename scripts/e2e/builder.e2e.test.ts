import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './chromium';
import { createWorkspaceThroughConsole, e2eOutputDir, signInThroughConsole } from './harness';
import { useConsoleHost } from './console-suite';

const runE2e = chromiumAvailable();

describe.skipIf(!runE2e)('builder in Chromium: prompt → preview with the offline generator, then a follow-up', () => {
  const suite = useConsoleHost({ console: true, builderEnv: { HANGAR_MODEL_PROVIDER: 'offline' } });

  it('builds a leads tracker, previews it sandboxed, and changes it on a follow-up', async () => {
    const page = await (await suite.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await signInThroughConsole(page, suite.test.host.url, 'Grace Hopper', 'grace@example.com');
    await createWorkspaceThroughConsole(page, 'Sales');
    await page.getByTestId('offline-banner').first().waitFor();

    await page.getByTestId('prompt-input').fill('A tracker for customer leads with name, email, company, status and next call date');
    await page.getByTestId('prompt-submit').click();
    await page.getByTestId('plan-card').first().waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(e2eOutputDir, 'builder-plan.png') });
    await page.getByTestId('plan-accept').click();
    await page.locator('[data-testid="run-status"][data-status="succeeded"]').first().waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('app-title').first().textContent()).toContain('Lead Tracker');
    expect(await page.locator('[data-testid="build-result"][data-ok="true"]').count()).toBeGreaterThan(0);

    await page.getByTestId('tab-preview').click();
    const preview = page.frameLocator('[data-testid="app-preview"]');
    await preview.getByRole('heading', { name: 'Lead Tracker' }).waitFor({ timeout: 30_000 });
    const sandbox = await page.getByTestId('app-preview').getAttribute('sandbox');
    expect(sandbox).not.toContain('allow-same-origin');
    await page.screenshot({ path: join(e2eOutputDir, 'builder-preview.png') });

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
    await page.screenshot({ path: join(e2eOutputDir, 'builder-follow-up.png') });

    await page.getByTestId('tab-versions').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    await page.screenshot({ path: join(e2eOutputDir, 'builder-versions.png') });
  }, 300_000);
});
