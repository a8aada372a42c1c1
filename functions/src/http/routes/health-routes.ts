import { Hono } from 'hono';
import type { HealthResponse } from '@hangar/protocol';
import type { AppDependencies, AppEnv } from '../app-env';

export function healthRoutes(deps: AppDependencies) {
  return new Hono<AppEnv>().get('/', (c) => {
    const body: HealthResponse = {
      status: 'ok',
      version: deps.config.version,
      authMode: deps.authenticator.mode,
      store: deps.config.storeKind,
      time: new Date().toISOString(),
    };
    return c.json(body);
  });
}
