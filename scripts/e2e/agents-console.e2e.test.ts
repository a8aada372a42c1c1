import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './chromium';
import { e2eOutputDir, signInThroughConsole } from './harness';
import { teamWorkspace, useConsoleHost } from './console-suite';

const runE2e = chromiumAvailable();
const shot = (page: Page, name: string) => page.screenshot({ path: join(e2eOutputDir, `agents-console-${name}.png`), fullPage: true });

/** The documented agents.json, with the tool URL given. */
const agentsJson = (url: string, description = "Looks up each new lead's company") =>
  JSON.stringify(
    {
      version: 1,
      agents: [
        {
          id: 'enricher',
          name: 'Lead enricher',
          description,
          instructions: "Call lookup_company with the lead's company and write what it returns to the lead.",
          tools: ['lookup_company'],
          dataCollections: { read: ['leads'], write: ['leads'] },
          triggers: [{ type: 'manual' }, { type: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/London' }],
        },
      ],
      tools: [
        {
          name: 'lookup_company',
          description: 'Company facts by name',
          method: 'GET',
          url,
          domain: 'api.example-crm.com',
          query: { name: '{{input.company}}' },
          headers: { authorization: 'Bearer {{secrets.CRM_TOKEN}}' },
          inputSchema: { type: 'object', properties: { company: { type: 'string' } }, required: ['company'] },
          mock: { name: 'Acme', employees: 120 },
        },
      ],
    },
    null,
    2,
  );

const secretValue = 'e2e-UNIQUE-9c41d7-secret-value';

describe.skipIf(!runE2e)('the agents console in Chromium: configure, validate, approve, go stale, set a secret, run', () => {
  const suite = useConsoleHost({ console: true, builderEnv: { HANGAR_MODEL_PROVIDER: 'offline' } });

  it('a member edits agents.json with inline errors and saves; an admin approves; an edit makes it stale; the admin sets a write-only secret', async () => {
    const viewport = { width: 1440, height: 900 };
    const open = async () => (await suite.browser.newContext({ viewport })).newPage();
    const [olive, mia, adam, vic] = [await open(), await open(), await open(), await open()];

    const workspaceId = await teamWorkspace(olive, suite.test.host.url, 'Agents');

    // Mia, a member, builds an app and opens its Agents tab, then the agents page.
    await signInThroughConsole(mia, suite.test.host.url, 'Mia Member', 'mia@example.com');
    await mia.getByTestId(`workspace-link-${workspaceId}`).click();
    await mia.getByTestId('prompt-input').fill('A tracker for customer leads with name, email and company');
    await mia.getByTestId('prompt-submit').click();
    await mia.getByTestId('plan-accept').click({ timeout: 60_000 });
    await mia.locator('[data-testid="run-status"][data-status="succeeded"]').first().waitFor({ timeout: 180_000 });
    const appId = /\/apps\/([^/?#]+)/.exec(mia.url())?.[1] ?? '';
    await mia.getByTestId('tab-agents').click();
    await mia.getByTestId('open-agents').click();
    await mia.getByTestId('agents-empty').waitFor();
    await shot(mia, '1-member-no-agents-yet');

    // An http: tool URL is refused inline, on its path and its line.
    const editor = mia.getByTestId('agents-editor');
    await editor.fill(agentsJson('http://api.example-crm.com/v1/companies'));
    const urlError = mia.locator('[data-testid="agents-error"][data-path="tools[0].url"]');
    await urlError.waitFor();
    expect(await urlError.textContent()).toContain('must use https:');
    const urlLine =
      agentsJson('http://api.example-crm.com/v1/companies')
        .split('\n')
        .findIndex((line) => line.includes('"url"')) + 1;
    expect(await urlError.textContent()).toContain(`line ${urlLine}`);
    expect(await mia.getByTestId('agents-editor-error-line').allTextContents()).toEqual([String(urlLine)]);
    expect(await mia.getByTestId('agents-save').isDisabled()).toBe(true);
    await shot(mia, '2-member-invalid-edit-inline-error');

    // Fixed, it validates; the rule of two is spelled out; saving makes a version nobody approved yet.
    await editor.fill(agentsJson('https://api.example-crm.com/v1/companies'));
    await mia.getByTestId('agents-valid').getByText('Valid').waitFor();
    await mia
      .getByTestId('rule-of-two-summary')
      .getByText(/Holds all three/)
      .waitFor();
    await mia.getByTestId('agents-save').click();
    await mia.locator('[data-testid="approval-state"][data-state="none"]').waitFor();
    await mia.locator('[data-testid="agents-dirty"]').waitFor({ state: 'detached' });
    expect(await mia.getByTestId('approve-agents').count()).toBe(0);
    await shot(mia, '3-member-saved-awaiting-approval');

    // Adam, an admin, approves the saved hash: current, by him.
    await signInThroughConsole(adam, suite.test.host.url, 'Adam Admin', 'adam@example.com');
    await adam.getByTestId(`workspace-link-${workspaceId}`).waitFor();
    await adam.goto(`${suite.test.host.url}/w/${workspaceId}/apps/${appId}/agents`);
    await adam.getByTestId('approve-agents').click();
    await adam.locator('[data-testid="approval-state"][data-state="current"]').waitFor();
    expect(await adam.getByTestId('approval-by').textContent()).toContain('Approved by Adam Admin');
    await shot(adam, '4-admin-approved-current');

    // Mia edits again: the approval is stale, and Adam sees exactly what changed since.
    await mia.reload();
    await mia.locator('[data-testid="approval-state"][data-state="current"]').waitFor();
    await mia.getByTestId('agents-editor').fill(agentsJson('https://api.example-crm.com/v1/companies', 'Enriches every lead'));
    await mia.getByTestId('agents-valid').getByText('Valid').waitFor();
    await mia.getByTestId('agents-save').click();
    await mia.locator('[data-testid="approval-state"][data-state="stale"]').waitFor();
    await adam.reload();
    await adam.locator('[data-testid="approval-state"][data-state="stale"]').waitFor();
    const diff = await adam.getByTestId('approval-diff').textContent();
    expect(diff).toContain(`-      "description": "Looks up each new lead's company",`);
    expect(diff).toContain('+      "description": "Enriches every lead",');
    expect(await adam.getByTestId('approval-by').textContent()).toContain('Last approved by Adam Admin');
    await shot(adam, '5-admin-sees-stale-with-diff');

    // Adam sets the secret the tool needs; the value is never shown again.
    await adam.getByTestId('tab-agents-secrets').click();
    const row = adam.locator('[data-testid="secret-row"][data-secret="CRM_TOKEN"]');
    await row.locator('[data-testid="secret-state"][data-state="missing"]').waitFor();
    await row.getByTestId('secret-edit').click();
    expect(await row.getByTestId('secret-value').getAttribute('type')).toBe('password');
    await row.getByTestId('secret-value').fill(secretValue);
    await row.getByTestId('secret-save').click();
    await row.locator('[data-testid="secret-state"][data-state="set"]').waitFor();
    expect(await row.getByTestId('secret-updated').textContent()).toContain('Version 1, set by Adam Admin');
    expect(await row.getByTestId('secret-value').count()).toBe(0);
    await adam.reload();
    await adam.getByTestId('tab-agents-secrets').click();
    await row.locator('[data-testid="secret-state"][data-state="set"]').waitFor();
    expect(await adam.content()).not.toContain(secretValue);
    await adam.getByTestId('agent-settings').getByText('Forbid approving your own edit').waitFor();
    await shot(adam, '6-admin-secret-set-write-only');

    // Mia sees which secrets are needed, but manages none of them.
    await mia.getByTestId('tab-agents-secrets').click();
    await mia.locator('[data-testid="secret-row"][data-secret="CRM_TOKEN"]').waitFor();
    expect(await mia.getByTestId('secret-edit').count()).toBe(0);
    expect(await mia.getByTestId('secret-state').count()).toBe(0);
    expect(await mia.getByTestId('settings-save').count()).toBe(0);

    // Mia runs the (now unapproved, so mock-tool) agent by hand and reads its transcript with the tool call.
    await mia.getByTestId('tab-agents-runs').click();
    await mia.getByTestId('run-agent-input').fill('{"company": "Acme"}');
    await mia.getByTestId('run-agent-submit').click();
    const transcript = mia.getByTestId('agent-run-transcript');
    await transcript.locator('[data-testid="tool-card"][data-tool-name="lookup_company"]').first().waitFor({ timeout: 90_000 });
    await mia
      .locator('[data-testid="agent-run-row"] [data-testid="agent-run-status"]:is([data-status="succeeded"],[data-status="failed"])')
      .first()
      .waitFor({ timeout: 90_000 });
    expect(await transcript.getByTestId('tool-call-input').first().textContent()).toContain('"company":"Acme"');
    await transcript.locator('[data-testid="tool-card"] summary').first().click();
    await shot(mia, '7-member-run-transcript');

    // Schedules: the declared trigger, and no fire time before publishing.
    await mia.getByTestId('tab-agents-schedules').click();
    await mia.getByTestId('schedule-row').getByText('0 9 * * 1-5 (Europe/London)').waitFor();
    await shot(mia, '8-schedules');

    await mia.getByTestId('tab-agents-calls').click();
    await mia.getByText('No calls are waiting').waitFor();
    await shot(mia, '9-call-approvals');

    // Vic, a viewer, sees nothing of this.
    await signInThroughConsole(vic, suite.test.host.url, 'Vic Viewer', 'vic@example.com');
    await vic.getByTestId(`workspace-link-${workspaceId}`).waitFor();
    await vic.goto(`${suite.test.host.url}/w/${workspaceId}/apps/${appId}/agents`);
    await vic.getByText('Agents not available').waitFor();
    expect(await vic.getByTestId('agents-editor').count()).toBe(0);
  }, 600_000);
});
