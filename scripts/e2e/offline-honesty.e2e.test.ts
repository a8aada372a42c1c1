import { join } from 'node:path';
import type { AppDocument } from '@hangar/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from './chromium';
import { api, createWorkspaceThroughConsole, e2eOutputDir, signInThroughConsole, startTestHost, type TestHost } from './harness';

const runE2e = chromiumAvailable();
const leadsPrompt =
  'A tracker for customer leads with name, email, phone, company, website, status, deal size (money), next call date and notes';

const shot = (page: Page, name: string) => page.screenshot({ path: join(e2eOutputDir, `${name}.png`) });

describe.skipIf(!runE2e)('honest offline generator and preview, in Chromium', () => {
  let test: TestHost;
  let browser: Browser;
  let hostClosed = false;

  beforeAll(async () => {
    test = await startTestHost({ console: true, builderEnv: { HANGAR_MODEL_PROVIDER: 'offline' } });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    if (!hostClosed) await test?.close();
  });

  it('greets a first visit, declines a game on the plan card, builds a data app that fits a 720 px preview, and a preview opened on its own says it is disconnected', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInThroughConsole(page, test.host.url, 'Ada', 'ada@example.com');
    await page.getByText('Welcome to Hangar, Ada.').waitFor();
    await shot(page, 'honesty-first-visit');
    const workspaceId = await createWorkspaceThroughConsole(page, 'Honesty');

    // A game: a polite plan card before anything is built; accepting it ends the run with nothing built.
    await page.getByTestId('prompt-input').fill('a chess board');
    await page.getByTestId('prompt-submit').click();
    const refusal = page.getByTestId('plan-card').filter({ hasText: 'The offline generator cannot build a chess game' });
    await refusal.waitFor({ timeout: 90_000 });
    await expect.poll(() => refusal.textContent()).toMatch(/Nothing has been built.*ANTHROPIC_API_KEY/s);
    await shot(page, 'honesty-out-of-scope-plan');
    await page.getByTestId('plan-accept').click();
    await page.getByText(/^Nothing was built: a chess game needs the full agent/).waitFor({ timeout: 90_000 });
    const chessAppId = /\/apps\/([^/?#]+)/.exec(page.url())?.[1] ?? '';
    const chessVersions = await api<{ items: unknown[] }>(page, 'GET', `/api/workspaces/${workspaceId}/apps/${chessAppId}/versions`);
    expect(chessVersions.json.items).toEqual([]);

    // A data app, built for real.
    await page.goto(`${test.host.url}/w/${workspaceId}`);
    await page.getByTestId('prompt-input').fill(leadsPrompt);
    await page.getByTestId('prompt-submit').click();
    await page.getByTestId('plan-accept').click({ timeout: 90_000 });
    await page.locator('[data-testid="run-status"][data-status="succeeded"]').first().waitFor({ timeout: 240_000 });
    await page.getByText('Offline generator · no model used').first().waitFor();
    const appId = /\/apps\/([^/?#]+)/.exec(page.url())?.[1] ?? '';
    const base = `/api/workspaces/${workspaceId}/apps/${appId}/data/draft/leads`;
    const lead = {
      name: 'Grace Hopper',
      email: 'grace@example.com',
      phone: '+1 555 0100',
      company: 'Remington Rand',
      website: 'https://example.com/grace',
      status: 'Qualified',
      dealSize: 125000,
      nextCallDate: '2030-01-15',
      notes: 'Wants the compiler demo',
    };
    expect((await api<AppDocument>(page, 'POST', base, lead)).status).toBe(201);

    // The preview pane at 720 px: the row actions are in view and every column can be scrolled to.
    await page.getByTestId('tab-preview').click();
    const iframe = page.getByTestId('app-preview');
    const frame = page.frameLocator('[data-testid="app-preview"]');
    await frame.getByText('Grace Hopper').first().waitFor({ timeout: 30_000 });
    const measured = (await iframe.boundingBox())?.width ?? 0;
    await page.setViewportSize({ width: Math.round(1440 + (720 - measured) / 0.6), height: 900 });
    await expect.poll(async () => Math.round((await iframe.boundingBox())?.width ?? 0), { timeout: 10_000 }).toBeLessThanOrEqual(722);
    const pane = (await iframe.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };
    const inPane = (box: { x: number; width: number } | null) =>
      box !== null && box.x >= pane.x - 1 && box.x + box.width <= pane.x + pane.width + 1;
    for (const action of [/^Edit Grace Hopper$/, /^Delete Grace Hopper$/]) {
      expect(inPane(await frame.getByRole('button', { name: action }).boundingBox())).toBe(true);
    }
    for (const column of ['Email', 'Phone', 'Company', 'Website', 'Status', 'Deal size', 'Next call date']) {
      const header = frame.getByRole('columnheader', { name: column, exact: true });
      await header.scrollIntoViewIfNeeded();
      expect(inPane(await header.boundingBox()), column).toBe(true);
    }
    // Scrolled all the way to the last column, the actions are still in view.
    expect(inPane(await frame.getByRole('button', { name: /^Edit Grace Hopper$/ }).boundingBox())).toBe(true);
    await shot(page, 'honesty-preview-720');

    // The same preview URL in its own tab: a banner says it is disconnected, and a write is refused.
    const previewUrl = new URL((await iframe.getAttribute('src')) ?? '', test.host.url).toString();
    const alone = await context.newPage();
    await alone.setViewportSize({ width: 900, height: 700 });
    await alone.goto(previewUrl);
    const banner = alone.getByTestId('hangar-disconnected');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toMatch(/^Not connected to Hangar: this page was opened outside the Hangar console/);
    await alone.getByText(/Could not load leads/).waitFor();
    // With no console, the app cannot know whether this person may write: its write controls stay hidden.
    await alone.getByTestId('view-only').waitFor();
    expect(await alone.getByRole('button', { name: /new lead/i }).count()).toBe(0);
    await shot(alone, 'honesty-preview-standalone');
    const stored = await api<{ items: AppDocument[] }>(page, 'GET', base);
    expect(stored.json.items.map((item) => item.name)).toEqual(['Grace Hopper']);
    await alone.close();

    // A second version: its diff lists the sources first and folds the build output.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('followup-input').fill('add a field priority');
    await page.getByTestId('followup-submit').click();
    await expect
      .poll(
        async () => (await api<{ items: unknown[] }>(page, 'GET', `/api/workspaces/${workspaceId}/apps/${appId}/versions`)).json.items,
        {
          timeout: 240_000,
          interval: 1_000,
        },
      )
      .toHaveLength(2);
    await page.getByTestId('tab-versions').click();
    await page.getByTestId('version-diff').waitFor({ timeout: 30_000 });
    const diffFiles = await page.getByTestId('version-diff').getByTestId('diff-file').allTextContents();
    expect(diffFiles[0]).toContain('src/lead-fields.ts');
    await page.getByTestId('diff-build-output').waitFor();
    expect(await page.getByTestId('diff-build-output').textContent()).toMatch(/Build output \(dist\/\)/);
    await shot(page, 'honesty-version-diff');

    // The invite dialog forgets a refusal once the email changes.
    await page.goto(`${test.host.url}/w/${workspaceId}/members`);
    await page.getByTestId('invite-open').click();
    await page.getByTestId('invite-email').fill('ada@example.com');
    await page.getByTestId('invite-submit').click();
    const refusalText = page
      .getByRole('dialog')
      .getByText(/is already a member/)
      .first();
    await refusalText.waitFor();
    await shot(page, 'honesty-invite-error');
    await page.getByTestId('invite-email').fill('bob@example.com');
    await refusalText.waitFor({ state: 'detached' });
    await page.getByTestId('invite-role').click();
    await page.getByTestId('invite-role-admin').click();
    await page.getByTestId('invite-submit').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await shot(page, 'honesty-members-badges');

    // The host stops: the app page says so.
    await page.goto(`${test.host.url}/w/${workspaceId}/apps/${appId}`);
    await page.getByTestId('app-title').waitFor();
    hostClosed = true;
    await test.close();
    await page.getByTestId('host-down').waitFor({ timeout: 30_000 });
    await shot(page, 'honesty-host-down');
  }, 900_000);
});
