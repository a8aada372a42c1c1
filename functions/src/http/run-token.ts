import type { Context } from 'hono';
import type { CapabilityTokens } from '../auth/capability-tokens';
import { UnauthenticatedError } from '../domain/errors';
import type { AppEnv } from './app-env';
import { pathId } from './validation';

/** The run of an internal API request (`/internal/runs/:r/…`), when its bearer is that run's token. */
export function runOfRequest(c: Context<AppEnv>, tokens: CapabilityTokens): string {
  const runId = pathId(c, 'r', 'Run');
  const token = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  const capability = tokens.verify(token, 'run');
  if (!capability || capability.runId !== runId) throw new UnauthenticatedError('A valid run token for this run is required.');
  return runId;
}
