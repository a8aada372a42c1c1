import { AgentCatalog, Run, type AgentRunInput, type DataScope } from '@hangar/protocol';
import { request } from '../../lib/request';
import type { AgentRunMemory, BridgeAgentClient } from './agent-bridge';

const encode = encodeURIComponent;
const appPath = (workspaceId: string, appId: string) => `/api/workspaces/${encode(workspaceId)}/apps/${encode(appId)}`;

/** The REST calls behind `useAgentList` and `useAgent(…).trigger`, as the identity active in this tab. */
export const agentBridgeApi: BridgeAgentClient = {
  listAgentCatalog: (workspaceId: string, appId: string, scope: DataScope) =>
    request('GET', `${appPath(workspaceId, appId)}/agents/catalog`, { schema: AgentCatalog, query: { scope } }),
  startAgentRun: (workspaceId: string, appId: string, agentId: string, input: AgentRunInput, scope: DataScope) =>
    request('POST', `${appPath(workspaceId, appId)}/agents/${encode(agentId)}/runs`, { schema: Run, body: { input, scope } }),
};

/**
 * The last run of each agent this browser started, per identity, app and scope, in the console's
 * localStorage (the sandboxed app has no storage of its own). Unavailable storage forgets.
 */
export function localAgentRunMemory(identityId: string | null, workspaceId: string, appId: string, scope: DataScope): AgentRunMemory {
  const key = `hangar.agentRuns:${identityId ?? 'default'}:${workspaceId}:${appId}:${scope}`;
  const read = (): Record<string, string> => {
    try {
      const parsed: unknown = JSON.parse(window.localStorage.getItem(key) ?? '{}');
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  const write = (runs: Record<string, string>) => {
    try {
      window.localStorage.setItem(key, JSON.stringify(runs));
    } catch {
      // Storage can be unavailable (private mode, quotas): the app then starts without its last run.
    }
  };
  return {
    get: (agentId) => {
      const runId = read()[agentId];
      return typeof runId === 'string' ? runId : null;
    },
    set: (agentId, runId) => write({ ...read(), [agentId]: runId }),
    forget: (agentId, runId) => {
      const runs = read();
      if (runs[agentId] !== runId) return;
      delete runs[agentId];
      write(runs);
    },
  };
}
