import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app-env';
import { defaultFrameSettings, sandboxTokens } from '../../domain/workspace-settings-service';

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  ico: 'image/x-icon',
  json: 'application/json',
  woff2: 'font/woff2',
};

/**
 * Serves a version's built `dist/` to the sandboxed preview iframe. The iframe has an opaque
 * origin and sends no cookies, so access is a short-lived capability token in the path. The
 * CSP repeats the sandbox (no same-origin), forbids network access, and allows framing only by
 * the console. Module scripts from an opaque origin are CORS requests, hence the ACAO header.
 */
export function previewRoutes(deps: AppDependencies) {
  return new Hono<AppEnv>().get('/:token/*', async (c) => {
    const notFound = () => c.text('Not found', 404, { 'cache-control': 'no-store' });
    const capability = deps.builder.tokens.verify(c.req.param('token'), 'preview');
    if (!capability) return c.text('This preview link has expired. Reload the app page.', 403);
    const prefix = `/preview/${c.req.param('token')}/`;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return notFound();
    }
    const relative = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : '';
    const path = `dist/${relative === '' ? 'index.html' : relative}`;
    if (path.includes('..') || path.includes('\0')) return notFound();
    const version = await deps.builder.worker.versionForPreview(capability.workspaceId, capability.appId, capability.versionId);
    const file = version?.files.find((candidate) => candidate.path === path);
    if (!file) return notFound();
    const bytes = await deps.builder.blobs.get(file.sha256);
    if (!bytes) return notFound();
    const origin = new URL(c.req.url).origin;
    // A published app's frame follows the workspace's frame settings; a builder's preview never widens.
    const frame =
      capability.published && deps.builder.governance
        ? (await deps.builder.governance.settings.current(capability.workspaceId)).frame
        : defaultFrameSettings;
    const extension = path.split('.').pop() ?? '';
    return c.body(bytes.buffer as ArrayBuffer, 200, {
      'content-type': contentTypes[extension] ?? 'application/octet-stream',
      'content-security-policy': [
        `sandbox ${sandboxTokens(frame).join(' ')}`,
        "default-src 'none'",
        `script-src ${origin}`,
        `style-src ${origin} 'unsafe-inline'`,
        `img-src ${origin} data: blob:`,
        `font-src ${origin} data:`,
        "connect-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
      ].join('; '),
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private, max-age=300',
    });
  });
}
