import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost, type LocalHost } from '../../functions/src/entrypoints/local-host';
import { ensureConsoleBuilt } from '../build-console';
import { webDistDir } from '../paths';
import { chromiumAvailable, launchChromium } from './chromium';
import { startTestOidcIssuer, type TestOidcIssuer } from './test-oidc-issuer';

const runE2e = chromiumAvailable();
const clientId = 'hangar-console';

describe.skipIf(!runE2e)('console OIDC sign-in in Chromium (authorization code + PKCE, refresh, bearer, WebSocket token, sign-out)', () => {
  let issuer: TestOidcIssuer;
  let host: LocalHost;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    ensureConsoleBuilt(() => undefined);
    issuer = await startTestOidcIssuer({ clientId, subject: { sub: 'user-ada', email: 'ada@example.com', name: 'Ada Lovelace' } });
    dataDir = mkdtempSync(join(tmpdir(), 'hangar-oidc-e2e-'));
    host = await startLocalHost({
      port: 0,
      dataDir,
      log: () => undefined,
      webDistDir,
      authMode: 'oidc',
      oidc: { issuer: issuer.issuer, audience: clientId },
    });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await issuer?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in at the issuer, refreshes, calls the API and the WebSocket with the token, and signs out', async () => {
    const page = await (await browser.newContext()).newPage();
    const bearers: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/me') bearers.push(request.headers().authorization ?? '');
    });

    await page.goto(host.url);
    await page.getByTestId('oidc-sign-in').click();
    // The issuer's page: it only accepted the request because it carried an S256 challenge.
    await page.waitForURL((url) => url.href.startsWith(`${issuer.issuer}/authorize`));
    await page.locator('#approve').click();
    await page.getByTestId('identity-menu').waitFor();

    // The code was exchanged with the PKCE verifier, and the short first token was refreshed.
    await expect.poll(() => issuer.log.grants).toEqual(['authorization_code', 'refresh_token']);
    const refreshed = issuer.log.issued[1];
    expect(refreshed).toBeDefined();
    await expect.poll(() => bearers.at(-1)).toBe(`Bearer ${refreshed}`);
    const me = await page.evaluate(async () => {
      const stored = JSON.parse(sessionStorage.getItem('hangar.oidc.tokens') ?? '{}') as { idToken?: string };
      const response = await fetch('/api/me', { headers: { authorization: `Bearer ${stored.idToken ?? ''}` } });
      return { status: response.status, body: (await response.json()) as { identity?: { email: string } } };
    });
    expect(me).toMatchObject({ status: 200, body: { identity: { email: 'ada@example.com' } } });

    // The token the console holds opens the WebSocket as its `token` parameter; without it, no.
    const socket = await page.evaluate(async () => {
      const stored = JSON.parse(sessionStorage.getItem('hangar.oidc.tokens') ?? '{}') as { idToken?: string };
      const attempt = (query: string) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws${query}`);
          ws.addEventListener('open', () => {
            ws.close();
            resolve('open');
          });
          ws.addEventListener('error', () => resolve('refused'));
        });
      return { withToken: await attempt(`?token=${encodeURIComponent(stored.idToken ?? '')}`), without: await attempt('') };
    });
    expect(socket).toEqual({ withToken: 'open', without: 'refused' });

    // Sign out: tokens forgotten, the issuer's session ended, back on the sign-in page.
    await page.getByTestId('identity-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByTestId('oidc-sign-in').waitFor();
    expect(issuer.log.logouts).toEqual([clientId]);
    expect(await page.evaluate(() => sessionStorage.getItem('hangar.oidc.tokens'))).toBeNull();
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
  }, 120_000);
});
