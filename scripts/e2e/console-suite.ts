/**
 * What the Chromium scenarios share: a real host with the console for one describe block, and
 * Olive's workspace with its team (and, from harness.ts, the API called from a page).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchChromium } from './chromium';
import { api, createWorkspaceThroughConsole, signInThroughConsole, startTestHost, type TestHost } from './harness';

export { api } from './harness';

/**
 * Starts the host (with the console; by default the offline builder) and one Chromium before the
 * block's tests, and closes both after them. Read `test` and `browser` inside the tests.
 */
export function useConsoleHost(
  options: Parameters<typeof startTestHost>[0] = { console: true, builderEnv: { HANGAR_MODEL_PROVIDER: 'offline' } },
): { readonly test: TestHost; readonly browser: Browser } {
  let test: TestHost | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    test = await startTestHost(options);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await test?.close();
  });
  return {
    get test() {
      if (!test) throw new Error('the test host is not started yet');
      return test;
    },
    get browser() {
      if (!browser) throw new Error('Chromium is not started yet');
      return browser;
    },
  };
}

/** Olive signs in, creates a workspace and invites Mia (member), Adam (admin) and Vic (viewer); answers its id. */
export async function teamWorkspace(olive: Page, url: string, name: string): Promise<string> {
  await signInThroughConsole(olive, url, 'Olive Owner', 'olive@example.com');
  const workspaceId = await createWorkspaceThroughConsole(olive, name);
  for (const [email, role] of [
    ['mia@example.com', 'member'],
    ['adam@example.com', 'admin'],
    ['vic@example.com', 'viewer'],
  ] as const) {
    expect((await api(olive, 'POST', `/api/workspaces/${workspaceId}/invitations`, { email, role })).status).toBe(201);
  }
  return workspaceId;
}
