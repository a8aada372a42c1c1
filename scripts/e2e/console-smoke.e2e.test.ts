import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Membership } from '@hangar/protocol';
import { startLocalHost, type LocalHost } from '../../functions/src/entrypoints/local-host';
import { ensureConsoleBuilt } from '../build-console';
import { repoRoot, webDistDir } from '../paths';
import { chromiumAvailable, launchChromium } from './chromium';

const outputDir = join(repoRoot, 'test-output', 'e2e');
const runE2e = chromiumAvailable();

async function signIn(page: Page, url: string, name: string, email: string) {
  await page.goto(url);
  await page.getByTestId('sign-in-name').waitFor();
  await page.getByTestId('sign-in-name').fill(name);
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-submit').click();
}

describe.skipIf(!runE2e)('console in Chromium: two local identities, a workspace, invitations and roles', () => {
  let host: LocalHost;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    mkdirSync(outputDir, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-e2e-'));
    host = await startLocalHost({ port: 0, dataDir, webDistDir, log: () => undefined });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in, creates a workspace, invites, accepts and changes a role', async () => {
    const ada = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const bob = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();

    // Ada signs in and creates a workspace.
    await signIn(ada, host.url, 'Ada Lovelace', 'ada@example.com');
    await ada.getByTestId('create-workspace-open').first().click();
    await ada.getByTestId('create-workspace-name').fill('Flight Ops');
    await ada.getByTestId('create-workspace-submit').click();
    await expect.poll(() => ada.getByTestId('workspace-title').textContent()).toContain('Flight Ops');
    const workspaceId = /\/w\/([^/]+)/.exec(ada.url())?.[1] ?? '';
    expect(workspaceId).toMatch(/^wsp_/);
    await ada.screenshot({ path: join(outputDir, 'workspace-home.png'), fullPage: true });

    // Ada invites Bob as an admin.
    await ada.getByTestId('nav-members').click();
    await ada.getByTestId('invite-open').click();
    await ada.getByTestId('invite-email').fill('bob@example.com');
    await ada.getByTestId('invite-role').click();
    await ada.getByTestId('invite-role-admin').click();
    await ada.getByTestId('invite-submit').click();
    await ada.getByTestId('invitation-row-bob@example.com').waitFor();

    // Bob signs in in another browser context: the invitation is accepted, the workspace is his.
    await signIn(bob, host.url, 'Bob Builder', 'bob@example.com');
    await bob.getByTestId(`workspace-link-${workspaceId}`).click();
    await expect.poll(() => bob.getByTestId('workspace-title').textContent()).toContain('Flight Ops');

    // Bob, as admin, invites Carol back: they invite each other.
    await bob.getByTestId('nav-members').click();
    await bob.getByTestId('invite-open').click();
    await bob.getByTestId('invite-email').fill('carol@example.com');
    await bob.getByTestId('invite-submit').click();
    await bob.getByTestId('invitation-row-carol@example.com').waitFor();
    await bob.screenshot({ path: join(outputDir, 'members-as-bob.png'), fullPage: true });

    // Ada demotes Bob to member with the role select.
    await ada.reload();
    await ada.getByTestId('role-select-bob@example.com').click();
    await ada.getByRole('option', { name: 'Member', exact: true }).click();
    await ada.getByTestId('toast-success').or(ada.getByTestId('toast-default')).first().waitFor();
    const members = await ada.evaluate(async (id) => {
      const response = await fetch(`/api/workspaces/${id}/members`, {
        headers: { 'x-hangar-identity': sessionStorage.getItem('hangar.identity') ?? '' },
      });
      return (await response.json()) as { items: Membership[] };
    }, workspaceId);
    expect(members.items.map((member) => [member.email, member.role])).toEqual([
      ['ada@example.com', 'owner'],
      ['bob@example.com', 'member'],
    ]);
    await ada.screenshot({ path: join(outputDir, 'members-as-ada.png'), fullPage: true });

    // The audit log tells the story.
    await ada.getByTestId('nav-audit-log').click();
    await ada.getByTestId('audit-row').first().waitFor();
    const rows = (await ada.getByTestId('audit-row').allTextContents()).join('\n');
    expect(rows).toMatch(/member\.role_changed|role changed/i);
    await ada.screenshot({ path: join(outputDir, 'audit-log.png'), fullPage: true });
  });
});
