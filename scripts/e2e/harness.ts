import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startLocalHost, type LocalHost, type LocalHostOptions } from '../../functions/src/entrypoints/local-host';
import { ensureConsoleBuilt } from '../build-console';
import { repoRoot, webDistDir } from '../paths';

export const e2eOutputDir = join(repoRoot, 'test-output', 'e2e');

/** One dependency cache for every test host, so only the first test pays for the install. */
export const sharedDependencyCache = join(tmpdir(), 'hangar-test-dependency-cache');

export interface TestHost {
  host: LocalHost;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts the real local host in a fresh data directory: with the console when `console` is set,
 * and with the builder (worker processes) when `builderEnv` is given.
 */
export async function startTestHost(
  options: {
    console?: boolean;
    builderEnv?: Record<string, string>;
    standbyWorker?: boolean;
    outbound?: LocalHostOptions['outbound'];
  } = {},
): Promise<TestHost> {
  if (options.console) {
    ensureConsoleBuilt();
    mkdirSync(e2eOutputDir, { recursive: true });
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'hangar-test-host-'));
  const host = await startLocalHost({
    port: 0,
    dataDir,
    // Worker logs, each with the seconds and milliseconds of its minute, for reading timelines.
    log:
      process.env.HANGAR_TEST_HOST_LOG === '1'
        ? (message: string) => console.log(`${new Date().toISOString().slice(17, 23)} ${message}`)
        : () => undefined,
    ...(options.outbound ? { outbound: options.outbound } : {}),
    ...(options.console ? { webDistDir } : {}),
    ...(options.builderEnv
      ? {
          builder: {
            repoRoot,
            templateDir: join(repoRoot, 'template'),
            workerEntry: join(repoRoot, 'worker-container', 'src', 'main.ts'),
            env: { HANGAR_DEPENDENCY_CACHE_DIR: sharedDependencyCache, ...options.builderEnv },
            ...(options.standbyWorker ? { standby: true } : {}),
          },
        }
      : {}),
  });
  return {
    host,
    dataDir,
    async close() {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the console's sign-in page. */
export async function signInThroughConsole(page: Page, url: string, name: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('sign-in-name').fill(name);
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-submit').click();
}

/** Creates a workspace through the console; answers its id. */
export async function createWorkspaceThroughConsole(page: Page, name: string): Promise<string> {
  await page.getByTestId('create-workspace-open').first().click();
  await page.getByTestId('create-workspace-name').fill(name);
  await page.getByTestId('create-workspace-submit').click();
  await page.getByTestId('workspace-title').waitFor();
  return /\/w\/([^/]+)/.exec(page.url())?.[1] ?? '';
}

/** A signed-in API caller for Node-side tests and benches (cookie session, same-origin headers). */
export async function apiSession(url: string, name: string, email: string) {
  const response = await fetch(`${url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { origin: url, 'content-type': 'application/json' },
    body: JSON.stringify({ name, email }),
  });
  const cookie = /hangar_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';
  return {
    cookie,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const answer = await fetch(`${url}${path}`, {
        method,
        headers: { cookie, origin: url, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
      return (await answer.json()) as T;
    },
  };
}

/** Calls the API from the page, as this tab's identity (its session in sessionStorage). */
export function api<T = unknown>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  return page.evaluate(
    async ([method, path, body]) => {
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-hangar-identity': sessionStorage.getItem('hangar.identity') ?? '' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: (await response.json().catch(() => null)) as never };
    },
    [method, path, body] as const,
  );
}
