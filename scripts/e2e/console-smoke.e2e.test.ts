import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Membership } from '@hangar/protocol';
import { chromiumAvailable } from './chromium';
import { createWorkspaceThroughConsole, e2eOutputDir, signInThroughConsole } from './harness';
import { useConsoleHost } from './console-suite';

const runE2e = chromiumAvailable();

describe.skipIf(!runE2e)('console in Chromium: two local identities, a workspace, invitations and roles', () => {
  const suite = useConsoleHost({ console: true });

  it('signs in, creates a workspace, invites, accepts and changes a role', async () => {
    const url = suite.test.host.url;
    const ada = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const bob = await (await suite.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();

    // Ada signs in and creates a workspace.
    await signInThroughConsole(ada, url, 'Ada Lovelace', 'ada@example.com');
    const workspaceId = await createWorkspaceThroughConsole(ada, 'Flight Ops');
    await expect.poll(() => ada.getByTestId('workspace-title').textContent()).toContain('Flight Ops');
    expect(workspaceId).toMatch(/^wsp_/);
    await ada.screenshot({ path: join(e2eOutputDir, 'workspace-home.png'), fullPage: true });

    // Ada invites Bob as an admin.
    await ada.getByTestId('nav-members').click();
    await ada.getByTestId('invite-open').click();
    await ada.getByTestId('invite-email').fill('bob@example.com');
    await ada.getByTestId('invite-role').click();
    await ada.getByTestId('invite-role-admin').click();
    await ada.getByTestId('invite-submit').click();
    await ada.getByTestId('invitation-row-bob@example.com').waitFor();

    // Bob signs in in another browser context: the invitation is accepted, the workspace is his.
    await signInThroughConsole(bob, url, 'Bob Builder', 'bob@example.com');
    await bob.getByTestId(`workspace-link-${workspaceId}`).click();
    await expect.poll(() => bob.getByTestId('workspace-title').textContent()).toContain('Flight Ops');

    // Bob, as admin, invites Carol: they invite each other.
    await bob.getByTestId('nav-members').click();
    await bob.getByTestId('invite-open').click();
    await bob.getByTestId('invite-email').fill('carol@example.com');
    await bob.getByTestId('invite-submit').click();
    await bob.getByTestId('invitation-row-carol@example.com').waitFor();
    await bob.screenshot({ path: join(e2eOutputDir, 'members-as-bob.png'), fullPage: true });

    // Ada demotes Bob to member with the role select.
    await ada.reload();
    await ada.getByTestId('role-select-bob@example.com').click();
    await ada.getByRole('option', { name: 'Member', exact: true }).click();
    await ada.getByTestId('toast-success').first().waitFor();
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
    await ada.screenshot({ path: join(e2eOutputDir, 'members-as-ada.png'), fullPage: true });

    // The audit log tells the story.
    await ada.getByTestId('nav-audit-log').click();
    await ada.getByTestId('audit-row').first().waitFor();
    const rows = (await ada.getByTestId('audit-row').allTextContents()).join('\n');
    expect(rows).toMatch(/member\.role_changed|role changed/i);
    await ada.screenshot({ path: join(e2eOutputDir, 'audit-log.png'), fullPage: true });
  });
});
