import type { AgentRunSpec } from '@hangar/protocol';
import { runAgentLoop, type AgentOutcome } from '../agent/agent-loop';
import type { ModelRetryPolicy } from '../agent/model-turn';
import type { RunSink } from '../agent/run-sink';
import type { ModelProvider } from '../model/model-provider';
import { waitForRunEvent, type ControlPlaneClient } from '../worker/control-plane-client';
import { agentRunMessage, agentSystemPrompt } from './agent-prompt';
import { createHttpAppAgentGateway } from './app-agent-gateway';
import { createAppAgentTools } from './app-agent-tools';

/** Waits for the `agent.call_decided` event of one approval (the run pauses meanwhile). */
export function awaitCallDecision(client: ControlPlaneClient, approvalId: string, signal: AbortSignal): Promise<'approved' | 'rejected'> {
  return waitForRunEvent(
    client,
    undefined,
    (event) => (event.type === 'agent.call_decided' && event.approvalId === approvalId ? event.decision : undefined),
    signal,
    'a call waited for approval',
  );
}

/**
 * One app-agent run: the agent loop with the app-agent toolset. Tools and data go through the
 * control plane's internal API (which checks them again); the model through the model gateway.
 * No workspace, no build: an agent acts on the app's data, not its code.
 */
export function runAppAgent(options: {
  spec: AgentRunSpec;
  client: ControlPlaneClient;
  controlPlaneUrl: string;
  runId: string;
  runToken: string;
  provider: ModelProvider;
  model: string;
  sink: RunSink;
  signal: AbortSignal;
  retryPolicy?: Partial<ModelRetryPolicy>;
  log: (message: string) => void;
}): Promise<AgentOutcome> {
  const gateway = createHttpAppAgentGateway({
    baseUrl: options.controlPlaneUrl,
    runId: options.runId,
    token: options.runToken,
    awaitCallDecision: (approvalId, signal) => awaitCallDecision(options.client, approvalId, signal),
  });
  return runAgentLoop({
    provider: options.provider,
    model: options.spec.agent.model ?? options.model,
    system: agentSystemPrompt(options.spec),
    prompt: agentRunMessage(options.spec),
    tools: createAppAgentTools(options.spec, gateway),
    workspaceDir: '/nonexistent-agent-workspace',
    sink: options.sink,
    signal: options.signal,
    maxTurns: 12,
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    log: options.log,
  });
}
