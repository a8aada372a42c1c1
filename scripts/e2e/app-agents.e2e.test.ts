import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafeHttpClient } from '../../functions/src/adapters/outbound/safe-http-client';
import {
  startTestIntegrationServer,
  testIntegrationCa,
  type RecordedRequest,
  type TestIntegrationServer,
} from '../../functions/src/adapters/outbound/testing/test-integration-server';
import { chromiumAvailable, launchChromium } from './chromium';
import { e2eOutputDir, signInThroughConsole, startTestHost, type TestHost } from './harness';
import { api, teamWorkspace } from './console-suite';

const runE2e = chromiumAvailable();
const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: join(e2eOutputDir, `app-agents-${name}.png`), fullPage, animations: 'disabled' });

/** The test integration's name: its certificate covers it, and only the test resolver knows it (127.0.0.1). */
const integrationHost = 'tools.hangar.test';
const secretValue = 'e2e-app-agents-7f3a91c5-SECRET';

/** Everything the browsers received: HTTP bodies and WebSocket frames of every page in the context. */
function capture(context: BrowserContext, seen: string[]) {
  context.on('response', (response) => {
    void response
      .text()
      .then((text) => seen.push(`${response.url()}\n${text}`))
      .catch(() => undefined);
  });
  context.on('page', (page) => {
    page.on('websocket', (socket) => {
      socket.on('framereceived', (frame) => seen.push(String(frame.payload)));
      socket.on('framesent', (frame) => seen.push(String(frame.payload)));
    });
  });
}

/** The page's HTML and that of every frame in it. */
async function allHtml(page: Page): Promise<string> {
  const parts: string[] = [];
  for (const frame of page.frames()) parts.push(await frame.content().catch(() => ''));
  return parts.join('\n');
}

async function addLead(app: FrameLocator, name: string, company: string) {
  await app
    .getByRole('button', { name: /new lead/i })
    .first()
    .click();
  await app.getByLabel(/^Name/).fill(name);
  await app.getByLabel(/^Company/).fill(company);
  await app.getByRole('button', { name: /add lead/i }).click();
  await app.getByText(name).first().waitFor();
}

describe.skipIf(!runE2e)(
  'app agents in Chromium: build, approve with a secret, publish, run from the app, survive a closed browser, audit',
  () => {
    let test: TestHost;
    let browser: Browser;
    let integration: TestIntegrationServer;
    /** Responses the test holds back (the slow call), released by the test. */
    const held: (() => void)[] = [];
    let holdNext = false;

    beforeAll(async () => {
      integration = await startTestIntegrationServer();
      const answer = (request: RecordedRequest, response: ServerResponse) => {
        const company = new URL(request.url, `https://${integrationHost}`).searchParams.get('company') ?? '';
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ company, employees: company.length * 40, industry: `${company} industries` }));
      };
      integration.handle((request, response) => {
        if (holdNext) {
          holdNext = false;
          held.push(() => answer(request, response));
        } else answer(request, response);
      });
      test = await startTestHost({
        console: true,
        builderEnv: { HANGAR_MODEL_PROVIDER: 'offline' },
        // The test-only allowance: the integration's name resolves to the loopback test server, which
        // only this client may call, trusting only the test certificate.
        outbound: createSafeHttpClient({
          resolver: (hostname) =>
            hostname === integrationHost ? Promise.resolve([{ address: '127.0.0.1', family: 4 }]) : Promise.reject(new Error('unknown')),
          unsafeTestOverrides: { allowAddresses: (address) => address === '127.0.0.1', ca: testIntegrationCa },
        }),
      });
      browser = await launchChromium();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await test?.close();
      await integration?.close();
    });

    it('a member builds an agent app; an admin sets its secret, approves and publishes; a viewer runs it live, closes the browser mid-run, and the audit log tells it', async () => {
      const viewport = { width: 1440, height: 900 };
      const seen: string[] = [];
      const contexts: BrowserContext[] = [];
      const open = async () => {
        const context = await browser.newContext({ viewport });
        capture(context, seen);
        contexts.push(context);
        return context.newPage();
      };
      const [olive, mia, adam, vic] = [await open(), await open(), await open(), await open()];
      const vicContext = vic.context();

      const workspaceId = await teamWorkspace(olive, test.host.url, 'Lead desk');
      const w = `/api/workspaces/${workspaceId}`;

      // 1. Mia, a member, builds an app with an agent from one prompt (the offline generator).
      await signInThroughConsole(mia, test.host.url, 'Mia Member', 'mia@example.com');
      await mia.getByTestId(`workspace-link-${workspaceId}`).click();
      await mia
        .getByTestId('prompt-input')
        .fill(
          `A tracker for customer leads with name, email and company, and an agent that looks up each lead's company via https://${integrationHost}/v1/companies with an API token.`,
        );
      await mia.getByTestId('prompt-submit').click();
      await mia.getByTestId('plan-accept').click({ timeout: 60_000 });
      await mia.locator('[data-testid="run-status"][data-status="succeeded"]').first().waitFor({ timeout: 240_000 });
      const appId = /\/apps\/([^/?#]+)/.exec(mia.url())?.[1] ?? '';
      await mia.getByTestId('tab-preview').click();
      const preview = mia.frameLocator('[data-testid="app-preview"]');
      await preview.getByText('Company lookup').first().waitFor({ timeout: 60_000 });
      await preview.getByText('Mock tools until approved').waitFor();
      await shot(mia, '1-member-built-app-with-agent');

      // The generated tool calls the integration's host; the test service listens on a port of its
      // own, so Mia puts the port into the URL in the console's editor (the host stays the same).
      await mia.getByTestId('tab-agents').click();
      await mia.getByTestId('open-agents').click();
      const editor = mia.getByTestId('agents-editor');
      await editor.waitFor();
      const generated = await editor.inputValue();
      expect(generated).toContain(`"url": "https://${integrationHost}/v1/companies"`);
      expect(generated).toContain('"authorization": "Bearer {{secrets.HANGAR_TOKEN}}"');
      expect(generated).not.toContain(secretValue);
      await editor.fill(
        generated.replace(`https://${integrationHost}/v1/companies`, `https://${integrationHost}:${integration.port}/v1/companies`),
      );
      await mia.getByTestId('agents-valid').getByText('Valid').waitFor();
      await mia.getByTestId('agents-save').click();
      await mia.locator('[data-testid="approval-state"][data-state="none"]').waitFor();
      await mia.locator('[data-testid="agents-dirty"]').waitFor({ state: 'detached' });
      await shot(mia, '2-member-agents-json-awaiting-approval');

      // 2. Adam, an admin, reads the configuration and its rule-of-two classes, sets the secret and approves.
      await signInThroughConsole(adam, test.host.url, 'Adam Admin', 'adam@example.com');
      await adam.getByTestId(`workspace-link-${workspaceId}`).waitFor();
      await adam.goto(`${test.host.url}/w/${workspaceId}/apps/${appId}/agents`);
      await adam.getByTestId('agents-editor').waitFor();
      expect(await adam.getByTestId('agents-editor').inputValue()).toContain(`https://${integrationHost}:${integration.port}/v1/companies`);
      await adam
        .getByTestId('rule-of-two-summary')
        .getByText(/Holds all three/)
        .waitFor();
      await shot(adam, '3-admin-reads-config-and-rule-of-two');

      await adam.getByTestId('tab-agents-secrets').click();
      const secretRow = adam.locator('[data-testid="secret-row"][data-secret="HANGAR_TOKEN"]');
      await secretRow.locator('[data-testid="secret-state"][data-state="missing"]').waitFor();
      await secretRow.getByTestId('secret-edit').click();
      await secretRow.getByTestId('secret-value').fill(secretValue);
      await secretRow.getByTestId('secret-save').click();
      await secretRow.locator('[data-testid="secret-state"][data-state="set"]').waitFor();
      await shot(adam, '4-admin-secret-set');

      await adam.getByTestId('tab-agents-config').click();
      await adam.getByTestId('approve-agents').click();
      await adam.locator('[data-testid="approval-state"][data-state="current"]').waitFor();
      expect(await adam.getByTestId('approval-by').textContent()).toContain('Approved by Adam Admin');
      await shot(adam, '5-admin-approved-agents');

      // Review and publish, through the console: Mia asks, Adam approves in the inbox and publishes.
      await mia.goto(`${test.host.url}/w/${workspaceId}/apps/${appId}`);
      await mia.getByTestId('request-review').click();
      await mia.getByTestId('review-state').getByText('Review pending').waitFor();
      await adam.goto(`${test.host.url}/w/${workspaceId}`);
      await adam.getByTestId('nav-reviews').click();
      const card = adam.getByTestId('review-card').first();
      await card.waitFor();
      await card.getByTestId('review-approve').click();
      await adam.getByTestId('reviews-tab-approved').click();
      await adam.getByTestId('publish-open').click();
      await adam.getByTestId('access-rules').first().waitFor();
      await shot(adam, '6-admin-publish-dialog');
      await adam.getByTestId('publish-confirm').click();
      await expect
        .poll(
          async () => ((await api(adam, 'GET', `${w}/apps/${appId}`)).json as { publishedVersionId?: string | null }).publishedVersionId,
        )
        .toBeTruthy();

      // Olive, the owner, opens the published app from the Apps page and adds two leads; she keeps it open.
      await olive.goto(`${test.host.url}/w/${workspaceId}`);
      await olive.getByTestId('nav-apps').click();
      await olive.getByTestId('published-app').first().click();
      const oliveApp = olive.frameLocator('[data-testid="published-app-frame"]');
      await addLead(oliveApp, 'Ada Lovelace', 'Acme');
      await addLead(oliveApp, 'Grace Hopper', 'Globex');
      await oliveApp.getByText('Company lookup').first().waitFor();
      expect(await oliveApp.getByText('Mock tools until approved').count()).toBe(0);

      // 4. Vic, a viewer, opens it from the Apps page and runs the agent on Ada's lead from the Agents panel.
      await signInThroughConsole(vic, test.host.url, 'Vic Viewer', 'vic@example.com');
      await vic.getByTestId(`workspace-link-${workspaceId}`).click();
      await vic.getByTestId('nav-apps').click();
      await vic.getByTestId('published-app').first().click();
      const vicApp = vic.frameLocator('[data-testid="published-app-frame"]');
      await vicApp.getByText('Grace Hopper').first().waitFor({ timeout: 30_000 });
      await vicApp.getByLabel('The lead to run Company lookup on').click();
      await vicApp.getByRole('option', { name: 'Ada Lovelace' }).click();
      await vicApp.getByRole('button', { name: 'Run Company lookup' }).click();
      const vicStatus = vicApp.getByTestId('agent-status-company-lookup');
      // The agent reads outside content, touches leads and changes them: its write waits for a person.
      await vicStatus.getByText('Waiting for approval').waitFor({ timeout: 90_000 });
      expect(integration.requests).toHaveLength(1);
      await shot(vic, '7-viewer-run-waiting-for-approval');

      // Adam approves that exact call in the console; the status turns live in Vic's app, the record in Olive's.
      await adam.goto(`${test.host.url}/w/${workspaceId}/apps/${appId}/agents`);
      await adam.getByTestId('tab-agents-calls').click();
      const pending = adam.getByTestId('pending-call').first();
      await pending.waitFor();
      expect(await pending.textContent()).toContain('update_app_data');
      await shot(adam, '8-admin-call-approval');
      await pending.getByTestId('call-approve').click();
      await vicStatus.getByText('Done').waitFor({ timeout: 90_000 });
      await vicApp.getByTestId('agent-result-company-lookup').waitFor();
      await shot(vic, '9-viewer-run-done-live');
      await oliveApp.getByText('Acme industries').first().waitFor({ timeout: 30_000 });
      await shot(olive, '10-owner-sees-record-live');

      // 5. The next run's call to the integration is held; Vic closes his browser while it waits.
      holdNext = true;
      await vicApp.getByLabel('The lead to run Company lookup on').click();
      await vicApp.getByRole('option', { name: 'Grace Hopper' }).click();
      await vicApp.getByRole('button', { name: 'Run Company lookup' }).click();
      await vicStatus.getByText('Running…').waitFor({ timeout: 90_000 });
      await expect.poll(() => held.length, { timeout: 90_000 }).toBe(1);
      seen.push(await allHtml(vic));
      await vicContext.close();
      for (const release of held.splice(0)) release();

      // The run goes on without him: its write waits for approval, Adam approves, Olive sees the record.
      await adam.reload();
      await adam.getByTestId('tab-agents-calls').click();
      await adam.getByTestId('pending-call').first().getByTestId('call-approve').click({ timeout: 90_000 });
      await oliveApp.getByText('Globex industries').first().waitFor({ timeout: 90_000 });
      await shot(olive, '11-owner-sees-record-after-viewer-left');
      await adam.getByTestId('tab-agents-runs').click();
      await expect
        .poll(async () => adam.locator('[data-testid="agent-run-row"] [data-testid="agent-run-status"][data-status="succeeded"]').count(), {
          timeout: 60_000,
        })
        .toBe(2);
      await shot(adam, '12-admin-run-history');

      // 3. Every call reached the test service with the injected secret, on the tool's host.
      expect(integration.requests.map((request) => new URL(request.url, 'https://x').searchParams.get('company'))).toEqual([
        'Acme',
        'Globex',
      ]);
      for (const request of integration.requests) {
        expect(request.headers.authorization).toBe(`Bearer ${secretValue}`);
        expect(request.headers.host).toBe(`${integrationHost}:${integration.port}`);
        expect(request.url.startsWith('/v1/companies?')).toBe(true);
      }

      // 7. The audit log shows the approval, the secret (by name), the runs, the tool calls and the publish.
      await adam.goto(`${test.host.url}/w/${workspaceId}`);
      await adam.getByTestId('nav-audit-log').click();
      const actions = [
        'agents.edited',
        'agents.approved',
        'secret.set',
        'agent.run_started',
        'agent.tool_called',
        'agent.call_approved',
        'app.published',
      ];
      const rows = async () => (await adam.getByTestId('audit-row').allTextContents()).join('\n');
      await expect
        .poll(
          async () => {
            const text = await rows();
            return actions.filter((action) => !text.includes(action));
          },
          { timeout: 30_000 },
        )
        .toEqual([]);
      const said = await rows();
      for (const summary of [
        'Mia Member edited agents.json (company-lookup)',
        'Adam Admin set the secret HANGAR_TOKEN',
        'Adam Admin approved agents.json (company-lookup)',
        'Adam Admin published Lead Tracker version 2',
        'Vic Viewer started Company lookup (manual)',
        `company-lookup called lookup_company on ${integrationHost}`,
        "Adam Admin approved company-lookup's call to update_app_data",
      ])
        expect(said).toContain(summary);
      // The secret by name only, and each tool call with its host.
      const secretAudit = adam.getByTestId('audit-row').filter({ hasText: 'secret.set' }).first();
      await secretAudit.getByTestId('audit-summary').click();
      const detail = adam.getByTestId('audit-detail');
      await detail.getByText('HANGAR_TOKEN').first().waitFor();
      expect(await detail.textContent()).not.toContain(secretValue);
      await shot(adam, '13-audit-secret-detail', false);
      await adam.keyboard.press('Escape');
      const toolRow = adam.getByTestId('audit-row').filter({ hasText: 'agent.tool_called' }).first();
      await toolRow.getByTestId('audit-summary').click();
      await detail.getByText(integrationHost).first().waitFor();
      expect(await detail.textContent()).not.toContain(secretValue);
      await shot(adam, '14-audit-tool-call-detail', false);
      await adam.keyboard.press('Escape');
      await shot(adam, '15-audit-log');

      // 6. The secret's value reached no browser: no page, frame, API response or WebSocket frame.
      for (const page of [olive, mia, adam]) seen.push(await allHtml(page));
      const events = await api(adam, 'GET', `${w}/audit-events?limit=200`);
      seen.push(JSON.stringify(events.json));
      expect(seen.length).toBeGreaterThan(100);
      expect(seen.filter((text) => text.includes(secretValue))).toEqual([]);
    }, 900_000);
  },
);
