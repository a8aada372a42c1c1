import type { DataScope } from '@hangar/protocol';
import type { RunRecord } from '../records';

export interface RunReadAccessDependencies {
  runOf: (runId: string) => Promise<RunRecord | null>;
  /** Builders of the run's app (creator, collaborators, admins, owners) read every run of it. */
  canBuildRun: (userId: string, workspaceId: string, runId: string) => Promise<boolean>;
  /** Whether a person may use the app's data in a scope: who may trigger its agents there. */
  mayUseAgents: (userId: string, appId: string, scope: DataScope) => Promise<boolean>;
}

/**
 * Who may read a run (its stream and its events): builders of its app, as before, and for an
 * agent run also the person who triggered it while they may still trigger that agent (use the
 * app's data in the run's scope). Builder runs show drafts and code, so they stay for builders.
 * Checked when a stream opens and again on every access change, so losing access ends it.
 */
export function createRunReadAccess(deps: RunReadAccessDependencies) {
  return async (userId: string, workspaceId: string, runId: string): Promise<boolean> => {
    if (await deps.canBuildRun(userId, workspaceId, runId)) return true;
    const run = await deps.runOf(runId);
    if (!run || run.workspaceId !== workspaceId || run.kind !== 'agent' || !run.agent) return false;
    return run.createdBy === userId && deps.mayUseAgents(userId, run.appId, run.agent.scope);
  };
}
