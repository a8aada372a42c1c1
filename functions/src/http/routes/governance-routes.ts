import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from '../app-env';
import { appGovernanceRoutes } from './app-governance-routes';
import { auditExportRoutes } from './audit-export-routes';
import { publishedAppRoutes } from './published-app-routes';
import { reviewRoutes } from './review-routes';
import { settingsRoutes } from './settings-routes';
import { teamRoutes } from './team-routes';

/** Every governance route group, mounted under `/api/workspaces`. */
export function governanceRoutes(deps: AppDependencies) {
  return new Hono<AppEnv>()
    .route('/', reviewRoutes(deps))
    .route('/', appGovernanceRoutes(deps))
    .route('/', publishedAppRoutes(deps))
    .route('/', teamRoutes(deps))
    .route('/', settingsRoutes(deps))
    .route('/', auditExportRoutes(deps));
}
