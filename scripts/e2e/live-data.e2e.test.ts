import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './chromium';
import { createWorkspaceThroughConsole, e2eOutputDir, signInThroughConsole } from './harness';
import { api, useConsoleHost } from './console-suite';

const runE2e = chromiumAvailable();

async function addLead(frame: FrameLocator, name: string) {
  await frame
    .getByRole('button', { name: /new lead/i })
    .first()
    .click();
  await frame.getByLabel(/^Name/).fill(name);
  await frame.getByRole('button', { name: /add lead/i }).click();
}

describe.skipIf(!runE2e)('live app data in Chromium: two identities, one generated app', () => {
  const suite = useConsoleHost({ console: true, builderEnv: { HANGAR_MODEL_PROVIDER: 'offline' } });

  it('syncs UI and API writes live between two identities, and rolls back rejected writes with a visible error', async () => {
    const viewport = { width: 1440, height: 900 };
    const ada = await (await suite.browser.newContext({ viewport })).newPage();
    const bob = await (await suite.browser.newContext({ viewport })).newPage();
    const mo = await (await suite.browser.newContext({ viewport })).newPage();

    await signInThroughConsole(ada, suite.test.host.url, 'Ada', 'ada@example.com');
    const workspaceId = await createWorkspaceThroughConsole(ada, 'Live');
    expect((await api(ada, 'POST', `/api/workspaces/${workspaceId}/invitations`, { email: 'bob@example.com', role: 'admin' })).status).toBe(
      201,
    );
    expect((await api(ada, 'POST', `/api/workspaces/${workspaceId}/invitations`, { email: 'mo@example.com', role: 'member' })).status).toBe(
      201,
    );

    await ada.getByTestId('prompt-input').fill('A tracker for customer leads with name, email, company, status and next call date');
    await ada.getByTestId('prompt-submit').click();
    await ada.getByTestId('plan-accept').click({ timeout: 60_000 });
    await ada.locator('[data-testid="run-status"][data-status="succeeded"]').first().waitFor({ timeout: 120_000 });
    const appUrl = ada.url();
    const appId = /\/apps\/([^/?#]+)/.exec(appUrl)?.[1] ?? '';
    await ada.getByTestId('tab-preview').click();
    const adaApp = ada.frameLocator('[data-testid="app-preview"]');
    await adaApp.getByRole('heading', { name: 'Lead Tracker' }).waitFor({ timeout: 30_000 });

    await signInThroughConsole(bob, suite.test.host.url, 'Bob', 'bob@example.com');
    await bob.getByTestId(`workspace-link-${workspaceId}`).waitFor();
    await bob.goto(appUrl);
    await bob.getByTestId('tab-preview').click();
    const bobApp = bob.frameLocator('[data-testid="app-preview"]');
    await bobApp.getByRole('heading', { name: 'Lead Tracker' }).waitFor({ timeout: 30_000 });

    // Written through the app's UI by Ada, seen live by Bob without a reload.
    await addLead(adaApp, 'Grace from the UI');
    await bobApp.getByText('Grace from the UI').first().waitFor({ timeout: 15_000 });

    // An agent-style write through the REST API appears in both.
    const viaApi = await api(bob, 'POST', `/api/workspaces/${workspaceId}/apps/${appId}/data/draft/leads`, {
      name: 'Alan from the API',
      status: 'New',
    });
    expect(viaApi.status).toBe(201);
    await adaApp.getByText('Alan from the API').first().waitFor({ timeout: 15_000 });
    await bobApp.getByText('Alan from the API').first().waitFor({ timeout: 15_000 });
    await bob.screenshot({ path: join(e2eOutputDir, 'live-data-second-identity.png') });

    // An oversized document is rejected: the optimistic row rolls back and an error is shown.
    await addLead(adaApp, `Huge ${'x'.repeat(300_000)}`);
    await adaApp
      .getByText(/could not save/i)
      .first()
      .waitFor({ timeout: 15_000 });
    // The form settles with the input kept, so nothing typed is lost.
    await adaApp.getByRole('button', { name: /add lead/i }).waitFor();
    await ada.screenshot({ path: join(e2eOutputDir, 'live-data-rejected.png') });
    await expect.poll(() => adaApp.getByRole('cell', { name: /^Huge x/ }).count(), { timeout: 15_000 }).toBe(0);

    // A member who is not a collaborator does not see the draft at all, and cannot write its data.
    await signInThroughConsole(mo, suite.test.host.url, 'Mo', 'mo@example.com');
    await mo.getByTestId(`workspace-link-${workspaceId}`).waitFor();
    await mo.goto(appUrl);
    await mo.getByText('App not found').waitFor({ timeout: 15_000 });
    const refused = await api(mo, 'POST', `/api/workspaces/${workspaceId}/apps/${appId}/data/draft/leads`, { name: 'Not allowed' });
    expect(refused.status).toBe(403);
    // Nothing was written: Ada still sees exactly her two leads.
    const rows = await api(ada, 'GET', `/api/workspaces/${workspaceId}/apps/${appId}/data/draft/leads`);
    expect((rows.json as { items: { name: string }[] }).items.map((item) => item.name).sort()).toEqual([
      'Alan from the API',
      'Grace from the UI',
    ]);
    await mo.screenshot({ path: join(e2eOutputDir, 'live-data-refused.png') });

    // The data explorer shows the same documents and follows new writes live.
    await bob.getByTestId('tab-data').click();
    await bob.getByTestId('data-collection-leads').click();
    await expect.poll(() => bob.getByTestId('data-row').count(), { timeout: 15_000 }).toBe(2);
    await api(ada, 'POST', `/api/workspaces/${workspaceId}/apps/${appId}/data/draft/leads`, {
      name: 'Barbara, live in the explorer',
      status: 'Won',
    });
    await bob.getByTestId('data-row').filter({ hasText: 'Barbara, live in the explorer' }).waitFor({ timeout: 15_000 });
    await bob.screenshot({ path: join(e2eOutputDir, 'data-explorer.png') });
    await bob.getByTestId('data-row').filter({ hasText: 'Barbara' }).click();
    await bob.getByTestId('data-document').waitFor();
    await bob.getByTestId('data-edit').waitFor();
    await bob.screenshot({ path: join(e2eOutputDir, 'data-explorer-document.png') });
  }, 300_000);
});
