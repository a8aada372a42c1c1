import { describe, expect, it } from 'vitest';
import type { AgentDataWriteBody, AgentRunSpec } from '@hangar/protocol';
import { runAgentLoop } from '../agent/agent-loop';
import { RecordingRunSink } from '../agent/run-sink';
import { agentRunMessage, agentSystemPrompt } from './agent-prompt';
import type { AppAgentGateway } from './app-agent-gateway';
import { createAppAgentTools } from './app-agent-tools';
import { OfflineAgentProvider } from './offline-agent-provider';

const spec = (overrides: Partial<AgentRunSpec> = {}): AgentRunSpec => ({
  agentId: 'enricher',
  agent: {
    id: 'enricher',
    name: 'Lead enricher',
    description: 'Looks up companies',
    instructions: 'Call lookup_company and write what it returns to the lead.',
    tools: ['lookup_company'],
    dataCollections: { read: ['leads'], write: ['leads'] },
    triggers: [{ type: 'manual' }],
  },
  tools: [
    {
      name: 'lookup_company',
      description: 'Company facts',
      method: 'GET',
      url: 'https://api.example-crm.com/v1/companies',
      domain: 'api.example-crm.com',
      query: { name: '{{input.company}}' },
      inputSchema: { type: 'object', properties: { company: { type: 'string' } }, required: ['company'] },
    },
  ],
  live: true,
  scope: 'published',
  input: { id: 'lead_1', company: 'Acme', name: 'Ada' },
  trigger: 'manual',
  approvalRequiredFor: [],
  ...overrides,
});

class FakeGateway implements AppAgentGateway {
  readonly calls: { name: string; input: unknown; approvalId?: string }[] = [];
  readonly writes: AgentDataWriteBody[] = [];
  decision: 'approved' | 'rejected' = 'approved';
  needsApproval = false;
  callTool(name: string, input: unknown, approvalId?: string) {
    this.calls.push({ name, input, ...(approvalId ? { approvalId } : {}) });
    return Promise.resolve({
      status: 'ok' as const,
      mock: false,
      httpStatus: 200,
      body: JSON.stringify({ employees: 120 }),
      host: 'api.example-crm.com',
    });
  }
  readData() {
    return Promise.resolve({ status: 'ok' as const, items: [] });
  }
  writeData(write: AgentDataWriteBody) {
    this.writes.push(write);
    if (this.needsApproval && !write.approvalId) return Promise.resolve({ status: 'approval_required' as const, approvalId: 'cap_1' });
    return Promise.resolve({ status: 'ok' as const, items: [{ _id: 'lead_1' }] });
  }
  awaitCallDecision() {
    return Promise.resolve(this.decision);
  }
}

const run = (runSpec: AgentRunSpec, gateway: FakeGateway) =>
  runAgentLoop({
    provider: new OfflineAgentProvider(),
    model: 'offline-agent',
    system: agentSystemPrompt(runSpec),
    prompt: agentRunMessage(runSpec),
    tools: createAppAgentTools(runSpec, gateway),
    workspaceDir: '/nonexistent',
    sink: new RecordingRunSink(),
    signal: new AbortController().signal,
  });

describe('app agents with the offline provider', () => {
  it('calls the declared tool with the trigger input, then writes the result to the document it was given', async () => {
    const gateway = new FakeGateway();
    const outcome = await run(spec(), gateway);
    expect(outcome.status).toBe('succeeded');
    expect(gateway.calls).toEqual([{ name: 'lookup_company', input: { company: 'Acme' } }]);
    expect(gateway.writes).toEqual([
      { operation: 'update', collection: 'leads', id: 'lead_1', set: { lookup_company: { employees: 120 } } },
    ]);
  });

  it('inserts a document when the input names none', async () => {
    const gateway = new FakeGateway();
    await run(spec({ input: { company: 'Globex' } }), gateway);
    expect(gateway.writes).toEqual([
      { operation: 'insert', collection: 'leads', document: { company: 'Globex', lookup_company: { employees: 120 } } },
    ]);
  });

  it('an unapproved draft agent gets mock tools and no data tools', async () => {
    const gateway = new FakeGateway();
    const tools = createAppAgentTools(spec({ live: false }), gateway);
    expect(tools.map((tool) => tool.name)).toEqual(['lookup_company']);
    const outcome = await run(spec({ live: false }), gateway);
    expect(outcome.status).toBe('succeeded');
    expect(gateway.writes).toEqual([]);
  });

  it('a write that needs approval waits for the decision and is retried with the approval id; a rejection is final', async () => {
    const gateway = new FakeGateway();
    gateway.needsApproval = true;
    await run(spec({ approvalRequiredFor: ['update_app_data'] }), gateway);
    expect(gateway.writes.map((write) => write.approvalId)).toEqual([undefined, 'cap_1']);

    const rejecting = new FakeGateway();
    rejecting.needsApproval = true;
    rejecting.decision = 'rejected';
    const outcome = await run(spec({ approvalRequiredFor: ['update_app_data'] }), rejecting);
    expect(rejecting.writes.length).toBe(1);
    expect(outcome.status).toBe('succeeded');
  });

  it('the worker refuses a collection the agent did not declare before anything is sent', () => {
    const gateway = new FakeGateway();
    const write = createAppAgentTools(spec(), gateway).find((tool) => tool.name === 'update_app_data');
    const parsed = write?.input.safeParse({ operation: 'insert', collection: 'payroll', document: {} });
    expect(parsed?.success).toBe(false);
  });
});
