import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { dataLimits, limits } from '@hangar/protocol';
import { PayloadTooLargeError } from '../domain/errors';
import type { AppDependencies, AppEnv } from './app-env';
import { mapError, notFound } from './error-mapper';
import { authentication, csrfProtection, hostCheck, mutating, rateLimit, requireActor } from './middleware';
import { agentRoutes } from './routes/agent-routes';
import { internalAgentRoutes } from './routes/internal-agent-routes';
import { appRoutes } from './routes/app-routes';
import { auditRoutes } from './routes/audit-routes';
import { dataRoutes } from './routes/data-routes';
import { governanceRoutes } from './routes/governance-routes';
import { authRoutes } from './routes/auth-routes';
import { healthRoutes } from './routes/health-routes';
import { internalModelRoutes } from './routes/internal-model-routes';
import { internalRoutes } from './routes/internal-routes';
import { invitationRoutes } from './routes/invitation-routes';
import { memberRoutes } from './routes/member-routes';
import { previewRoutes } from './routes/preview-routes';
import { versionRoutes } from './routes/version-routes';
import { workspaceRoutes } from './routes/workspace-routes';

/** The one Hono app: served by the local host and by the Lambda entry point alike. */
export function createApp(deps: AppDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const rates = deps.config.rateLimits ?? { authPerMinute: 60, mutationsPerMinute: 600 };
  const clientAddress = deps.clientAddress ?? ((c) => c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? 'unknown');

  app.onError(mapError);
  app.notFound(notFound);
  // Before everything, the console's static files included (the local root mounts them after this app).
  app.use('*', hostCheck(deps));

  app.use('/api/*', async (c, next) => {
    c.set('requestId', c.req.header('x-request-id') ?? crypto.randomUUID());
    await next();
    c.header('x-request-id', c.get('requestId'));
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
  });
  // App documents may be up to 256 KB; every other body is small.
  const documentBodyLimit: MiddlewareHandler<AppEnv> = bodyLimit({
    maxSize: dataLimits.maxDocumentBytes + 4096,
    onError: () => {
      throw new PayloadTooLargeError(dataLimits.maxDocumentBytes);
    },
  });
  const defaultBodyLimit: MiddlewareHandler<AppEnv> = bodyLimit({
    maxSize: limits.maxRequestBodyBytes,
    onError: () => {
      throw new PayloadTooLargeError(limits.maxRequestBodyBytes);
    },
  });
  const sizeLimit: MiddlewareHandler<AppEnv> = (c, next) =>
    /^\/api\/workspaces\/[^/]+\/apps\/[^/]+\/data\//.test(c.req.path) ? documentBodyLimit(c, next) : defaultBodyLimit(c, next);
  app.use('/api/*', sizeLimit);
  app.use('/api/*', authentication(deps));
  app.use('/api/*', csrfProtection(deps));
  app.use('/api/auth/*', rateLimit({ perMinute: rates.authPerMinute, key: (c) => (c.req.method === 'POST' ? clientAddress(c) : null) }));
  app.use(
    '/api/*',
    rateLimit({
      perMinute: rates.mutationsPerMinute,
      key: (c) => (mutating.has(c.req.method) ? (c.get('auth')?.identity.id ?? null) : null),
    }),
  );

  app.route('/api/health', healthRoutes(deps));
  app.route('/api', authRoutes(deps));
  app.route('/api/workspaces', workspaceRoutes(deps));
  app.route('/api/workspaces', memberRoutes(deps));
  app.route('/api/workspaces', invitationRoutes(deps));
  app.route('/api/workspaces', auditRoutes(deps));
  const info = deps.builder.info;
  app.get('/api/builder', (c) => {
    requireActor(c);
    return c.json(info);
  });
  app.route('/api/workspaces', appRoutes(deps));
  app.route('/api/workspaces', versionRoutes(deps));
  app.route('/api/workspaces', dataRoutes(deps));
  app.route('/api/workspaces', agentRoutes(deps.agents));
  // Before internalRoutes: their 2 MiB body limit must not apply to model calls.
  app.route('/internal', internalModelRoutes(deps));
  app.route('/internal', internalRoutes(deps));
  app.route('/internal', internalAgentRoutes(deps, deps.agents));
  app.route('/api/workspaces', governanceRoutes(deps));
  app.route('/preview', previewRoutes(deps));
  // Unknown API and internal paths answer JSON on every method, before a root's catch-all (the console's HTML).
  app.all('/api/*', notFound);
  app.all('/internal/*', notFound);
  return app;
}
