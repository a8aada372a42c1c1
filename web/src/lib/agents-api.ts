import {
  AgentSchedulesResponse,
  AgentSettingsView,
  AgentsConfigResponse,
  AgentsValidationResult,
  CallApproval,
  pageOf,
  Run,
  SecretSummary,
  type AgentRunInput,
} from '@hangar/protocol';
import { request } from './request';

const AgentRunsPage = pageOf(Run);
const CallApprovalsPage = pageOf(CallApproval);
const SecretsPage = pageOf(SecretSummary);

const encode = encodeURIComponent;
const workspacePath = (workspaceId: string) => `/api/workspaces/${encode(workspaceId)}`;
const appPath = (workspaceId: string, appId: string) => `${workspacePath(workspaceId)}/apps/${encode(appId)}`;

/** The app-agent endpoints: agents.json, its approval, agent runs, call approvals, secrets, settings and schedules. */
export const agentsApi = {
  agentsConfig: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${appPath(workspaceId, appId)}/agents`, { schema: AgentsConfigResponse, signal }),
  validateAgents: (workspaceId: string, appId: string, document: unknown, signal?: AbortSignal) =>
    request('POST', `${appPath(workspaceId, appId)}/agents/validate`, { schema: AgentsValidationResult, body: { document }, signal }),
  saveAgents: (workspaceId: string, appId: string, document: unknown) =>
    request('PUT', `${appPath(workspaceId, appId)}/agents`, { schema: AgentsConfigResponse, body: { document } }),
  approveAgents: (workspaceId: string, appId: string, hash: string) =>
    request('POST', `${appPath(workspaceId, appId)}/agents/approve`, { schema: AgentsConfigResponse, body: { hash } }),
  startAgentRun: (workspaceId: string, appId: string, agentId: string, input: AgentRunInput) =>
    request('POST', `${appPath(workspaceId, appId)}/agents/${encode(agentId)}/runs`, { schema: Run, body: { input, scope: 'draft' } }),
  listAgentRuns: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${appPath(workspaceId, appId)}/agent-runs`, { schema: AgentRunsPage, signal }),
  listCallApprovals: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${appPath(workspaceId, appId)}/call-approvals`, { schema: CallApprovalsPage, signal }),
  decideCall: (workspaceId: string, approvalId: string, decision: 'approve' | 'reject') =>
    request('POST', `${workspacePath(workspaceId)}/call-approvals/${encode(approvalId)}/decision`, {
      schema: CallApproval,
      body: { decision },
    }),
  listSecrets: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${appPath(workspaceId, appId)}/secrets`, { schema: SecretsPage, signal }),
  setSecret: (workspaceId: string, appId: string, name: string, value: string) =>
    request('PUT', `${appPath(workspaceId, appId)}/secrets/${encode(name)}`, { schema: SecretSummary, body: { value } }),
  deleteSecret: (workspaceId: string, appId: string, name: string) =>
    request('DELETE', `${appPath(workspaceId, appId)}/secrets/${encode(name)}`),
  agentSettings: (workspaceId: string, signal?: AbortSignal) =>
    request('GET', `${workspacePath(workspaceId)}/agent-settings`, { schema: AgentSettingsView, signal }),
  saveAgentSettings: (workspaceId: string, settings: AgentSettingsView) =>
    request('PUT', `${workspacePath(workspaceId)}/agent-settings`, { schema: AgentSettingsView, body: settings }),
  agentSchedules: (workspaceId: string, appId: string, signal?: AbortSignal) =>
    request('GET', `${appPath(workspaceId, appId)}/agents/schedules`, { schema: AgentSchedulesResponse, signal }),
};
