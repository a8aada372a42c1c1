import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The console's Content-Security-Policy: own scripts only, no framing of the console. In OIDC
 * mode the console also talks to the issuer (discovery, token endpoint): `connectSources`.
 */
export const contentSecurityPolicy = (connectSources: string[] = []) => [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  ["connect-src 'self' ws: wss:", ...connectSources].join(' '),
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export const consoleContentSecurityPolicy = contentSecurityPolicy();

const headersFor = (connectSources: string[]) => ({
  'content-security-policy': contentSecurityPolicy(connectSources),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
});

/**
 * Serves the built console from `root`. Paths without a file extension fall back to
 * index.html (client-side routes). Paths never escape `root`.
 */
export function createStaticHandler(root: string, connectSources: string[] = []) {
  const securityHeaders = headersFor(connectSources);
  const base = normalize(root + sep);
  return async (pathname: string): Promise<Response> => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return new Response('Bad request', { status: 400 });
    }
    const file = normalize(join(base, decoded));
    const inside = file.startsWith(base) && !decoded.includes('\0');
    const candidate = inside ? file : null;
    const isFile = candidate
      ? await stat(candidate).then(
          (s) => s.isFile(),
          () => false,
        )
      : false;
    if (!isFile && extname(decoded) !== '') return new Response('Not found', { status: 404, headers: securityHeaders });
    const path = isFile && candidate ? candidate : join(base, 'index.html');
    try {
      const body = await readFile(path);
      const immutable = path.includes(`${sep}assets${sep}`);
      return new Response(body, {
        headers: {
          ...securityHeaders,
          'content-type': contentTypes[extname(path)] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
      });
    } catch {
      return new Response('The console is not built. Run `npm start`, which builds it.', {
        status: 503,
        headers: { 'content-type': 'text/plain' },
      });
    }
  };
}
