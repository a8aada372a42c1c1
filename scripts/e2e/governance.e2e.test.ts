import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './chromium';
import { e2eOutputDir, signInThroughConsole } from './harness';
import { api, teamWorkspace, useConsoleHost } from './console-suite';

const runE2e = chromiumAvailable();
const shot = (page: Page, name: string) => page.screenshot({ path: join(e2eOutputDir, `governance-${name}.png`) });

async function buildApp(page: Page, prompt: string): Promise<string> {
  await page.getByTestId('prompt-input').fill(prompt);
  await page.getByTestId('prompt-submit').click();
  await page.getByTestId('plan-accept').click({ timeout: 60_000 });
  await page.locator('[data-testid="run-status"][data-status="succeeded"]').first().waitFor({ timeout: 180_000 });
  return /\/apps\/([^/?#]+)/.exec(page.url())?.[1] ?? '';
}

async function addLead(frame: FrameLocator, name: string) {
  await frame
    .getByRole('button', { name: /new lead/i })
    .first()
    .click();
  await frame.getByLabel(/^Name/).fill(name);
  await frame.getByRole('button', { name: /add lead/i }).click();
}

describe.skipIf(!runE2e)('governance in Chromium: build, review, publish, use, collaborate, audit', () => {
  const suite = useConsoleHost({ console: true, builderEnv: { HANGAR_MODEL_PROVIDER: 'offline' } });

  it('a member builds and asks for review; an admin approves and publishes; a viewer uses it; a collaborator adds data; the audit log tells it', async () => {
    const viewport = { width: 1440, height: 900 };
    const open = async () => (await suite.browser.newContext({ viewport, acceptDownloads: true })).newPage();
    const [olive, mia, adam, vic] = [await open(), await open(), await open(), await open()];

    const workspaceId = await teamWorkspace(olive, suite.test.host.url, 'Governed');
    const w = `/api/workspaces/${workspaceId}`;

    // 1. Mia, a member, builds an app and requests a review of its version.
    await signInThroughConsole(mia, suite.test.host.url, 'Mia Member', 'mia@example.com');
    await mia.getByTestId(`workspace-link-${workspaceId}`).click();
    const appId = await buildApp(mia, 'A tracker for customer leads with name, email, company and status');
    await mia.getByTestId('request-review').click();
    await mia.getByTestId('review-state').getByText('Review pending').waitFor();
    await shot(mia, '1-member-requested-review');
    // Draft data only Mia's builders see.
    expect((await api(mia, 'POST', `${w}/apps/${appId}/data/draft/leads`, { name: 'Draft-only lead' })).status).toBe(201);

    // 2. Adam, an admin, reads the request in the inbox: the files and the access rules in plain words.
    await signInThroughConsole(adam, suite.test.host.url, 'Adam Admin', 'adam@example.com');
    await adam.getByTestId(`workspace-link-${workspaceId}`).click();
    await adam.getByTestId('nav-reviews').click();
    const card = adam.getByTestId('review-card').first();
    await card.waitFor();
    await expect
      .poll(() => card.getByTestId('access-rule').allTextContents())
      .toEqual(['leads: everyone in the workspace can read; members, admins and owners can add and changenew']);
    await card.getByTestId('review-diff').waitFor();
    await shot(adam, '2-admin-inbox');
    await card.getByTestId('review-note').fill('Looks good.');
    await card.getByTestId('review-approve').click();
    await adam.getByTestId('reviews-tab-approved').click();
    await adam.getByTestId('publish-open').click();
    await adam.getByTestId('access-rules').first().waitFor();
    await shot(adam, '3-publish-dialog');
    await adam.getByTestId('publish-confirm').click();
    await adam
      .getByText(/Published .*ago|Published just now|Published/)
      .first()
      .waitFor();
    // Published data, written by the admin through the API.
    expect((await api(adam, 'POST', `${w}/apps/${appId}/data/published/leads`, { name: 'Published lead' })).status).toBe(201);

    // 3. Vic, a viewer, opens it from the Apps page: the published version with its published data only.
    await signInThroughConsole(vic, suite.test.host.url, 'Vic Viewer', 'vic@example.com');
    await vic.getByTestId(`workspace-link-${workspaceId}`).click();
    await vic.getByTestId('nav-apps').click();
    await vic.getByTestId('published-app').first().click();
    const vicApp = vic.frameLocator('[data-testid="published-app-frame"]');
    await vicApp.getByText('Published lead').first().waitFor({ timeout: 30_000 });
    expect(await vicApp.getByText('Draft-only lead').count()).toBe(0);
    // Viewers may read leads but not change them: the app shows no control that writes.
    await vicApp.getByTestId('view-only').waitFor();
    expect(await vicApp.getByRole('button', { name: /new lead|edit|delete/i }).count()).toBe(0);
    await shot(vic, '4-viewer-uses-published-app');
    expect((await api(vic, 'GET', `${w}/apps/${appId}/versions`)).status).toBe(403);

    // 4. Olive builds a second app and makes Mia a collaborator; Mia adds a record there.
    await olive.goto(`${suite.test.host.url}/w/${workspaceId}`);
    const secondId = await buildApp(olive, 'A tracker for partner leads with name, email and company');
    await olive.getByTestId('collaborators-open').click();
    await olive.getByTestId('collaborator-mia@example.com').check();
    await olive.getByTestId('collaborators-save').click();
    await olive.getByTestId('collaborators-open').getByText('2').waitFor();
    await mia.goto(`${suite.test.host.url}/w/${workspaceId}/apps/${secondId}`);
    await mia.getByTestId('tab-preview').click();
    const miaApp = mia.frameLocator('[data-testid="app-preview"]');
    await addLead(miaApp, 'Added by a collaborator');
    await miaApp.getByText('Added by a collaborator').first().waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => {
        const rows = await api(olive, 'GET', `${w}/apps/${secondId}/data/draft/leads`);
        return (rows.json as { items?: { name: string }[] }).items?.map((item) => item.name);
      })
      .toEqual(['Added by a collaborator']);
    await shot(mia, '5-collaborator-adds-record');

    // 5. A role change shows up in the other person's open console without reload: Vic, on the
    // workspace home as a viewer, is promoted by Adam and gets a member's controls in place.
    await vic.getByRole('link', { name: 'Back to apps' }).click();
    await vic.getByTestId('nav-home').click();
    await vic.getByText('Your role').waitFor();
    expect(await vic.getByTestId('prompt-input').count()).toBe(0);
    expect(await vic.getByTestId('nav-reviews').count()).toBe(0);
    // A marker that a reload (or any new document) would wipe.
    await vic.evaluate(() => Object.assign(window, { hangarSameDocument: true }));
    await adam.getByTestId('nav-members').click();
    await adam.getByTestId('role-select-vic@example.com').click();
    await adam.getByRole('option', { name: 'Member', exact: true }).click();
    await adam.getByTestId('toast-success').first().waitFor();
    await vic.getByTestId('prompt-input').waitFor({ timeout: 15_000 });
    await vic.getByTestId('nav-reviews').waitFor();
    expect(await vic.evaluate(() => (window as { hangarSameDocument?: boolean }).hangarSameDocument)).toBe(true);
    await shot(vic, '6-role-change-live');

    // 6. The audit log shows every step, with a detail view, and exports what it shows.
    await adam.getByTestId('nav-audit-log').click();
    await adam.getByTestId('audit-row').first().waitFor();
    const summaries = (await adam.getByTestId('audit-row').allTextContents()).join('\n');
    for (const action of [
      'review.requested',
      'review.approved',
      'app.published',
      'app.collaborators_changed',
      'data.inserted',
      'app.created',
      'member.role_changed',
    ]) {
      expect(summaries).toContain(action);
    }
    expect(summaries).toContain('Adam Admin published');
    await adam.getByTestId('audit-summary').first().click();
    await adam.getByTestId('audit-detail').waitFor();
    await shot(adam, '7-audit-detail');
    await adam.keyboard.press('Escape');
    const [download] = await Promise.all([adam.waitForEvent('download'), adam.getByTestId('audit-export-jsonl').click()]);
    const path = join(e2eOutputDir, 'governance-audit-export.jsonl');
    await download.saveAs(path);
    const exported = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string });
    expect(exported.map((event) => event.action)).toEqual(expect.arrayContaining(['review.requested', 'review.approved', 'app.published']));
    await shot(adam, '8-audit-log');
  }, 600_000);
});
