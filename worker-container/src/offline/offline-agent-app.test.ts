import { AccessRules, accessRulesFileName, agentsFilePath, AgentsDocument, validateAgentsDocument } from '@hangar/protocol';
import { describe, expect, it } from 'vitest';
import { takeAgentRequest } from './agent-request';
import { OfflineProvider } from './offline-provider';
import { readPrompt } from './prompt-reader';
import { runConversation } from './testing/conversation-driver';

const leadsWithAgent = "a leads tracker with an agent that looks up each lead's company via https://api.example-crm.com";

async function build(prompt: string) {
  const files = new Map<string, string>();
  const run = await runConversation(new OfflineProvider(), prompt, files);
  return { files, run };
}

function agentsOf(files: Map<string, string>) {
  const text = files.get(agentsFilePath);
  if (!text) throw new Error('no agents.json was written');
  const validation = validateAgentsDocument(JSON.parse(text));
  return { document: AgentsDocument.parse(JSON.parse(text)), validation };
}

describe('the offline generator writes agents.json for prompts that ask for an agent', () => {
  it('reads the agent clause apart from the records and fields', () => {
    const spec = readPrompt(leadsWithAgent);
    expect(spec.appName).toBe('Lead Tracker');
    expect(spec.fields.map((field) => field.key)).toEqual(['name', 'email', 'company', 'status', 'nextCallDate']);
    expect(spec.agent).toMatchObject({
      id: 'company-lookup',
      name: 'Company lookup',
      tool: {
        name: 'lookup_company',
        url: 'https://api.example-crm.com',
        domain: 'api.example-crm.com',
        inputKey: 'company',
        secretName: null,
      },
    });
    const listed = readPrompt(
      'a tracker for customer leads with name, email, company and status, and an agent that enriches each lead’s company using https://api.example-crm.com/v1/companies.',
    );
    expect(listed.fields.map((field) => field.key)).toEqual(['name', 'email', 'company', 'status']);
    expect(listed.agent?.tool).toMatchObject({ name: 'enrich_company', url: 'https://api.example-crm.com/v1/companies' });
    expect(takeAgentRequest('a tracker for leads with name and email').request).toBeNull();
  });

  it('writes a valid agents.json, the access manifest for its collections, and an app that runs it', async () => {
    const { files, run } = await build(leadsWithAgent);
    expect([...files.keys()]).toEqual(expect.arrayContaining([agentsFilePath, accessRulesFileName, 'src/components/agent-panel.tsx']));
    const { document, validation } = agentsOf(files);
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(document.agents).toEqual([
      expect.objectContaining({
        id: 'company-lookup',
        tools: ['lookup_company'],
        dataCollections: { read: ['leads'], write: ['leads'] },
        triggers: [{ type: 'manual' }],
      }),
    ]);
    expect(document.tools[0]).toMatchObject({
      method: 'GET',
      url: 'https://api.example-crm.com',
      domain: 'api.example-crm.com',
      query: { company: '{{input.company}}' },
      inputSchema: { type: 'object', properties: { company: { type: 'string' } }, required: ['company'] },
    });
    // The rule of two, decided by the validator: it reads HTTP, touches leads and writes them.
    expect(validation.capabilities['company-lookup']?.approvalRequiredFor).toContain('update_app_data');

    const rules = AccessRules.parse(JSON.parse(files.get(accessRulesFileName) ?? '{}'));
    for (const collection of [...document.agents[0]!.dataCollections.read, ...document.agents[0]!.dataCollections.write])
      expect(Object.keys(rules.collections)).toContain(collection);

    const panel = files.get('src/components/agent-panel.tsx') ?? '';
    expect(panel).toContain('useAgentList()');
    expect(panel).toContain('useAgent(agent.id)');
    expect(files.get('src/App.tsx')).toContain('<AgentPanel records={records}');
    const plan = run.calls[0]?.input as { steps: string[] };
    expect(plan.steps.join('\n')).toContain(
      'An agent "Company lookup" in agents.json that looks up each lead\'s company via api.example-crm.com.',
    );
    expect(run.finalText).toContain('**Agents** panel');
  });

  it('puts a key the service needs only as a {{secrets.NAME}} placeholder, and says who sets it', async () => {
    const { files, run } = await build(
      "a leads tracker with an agent that looks up each lead's company via https://api.example-crm.com/v1/companies using our API key",
    );
    const { document, validation } = agentsOf(files);
    expect(validation.valid).toBe(true);
    expect(document.tools[0]?.headers).toEqual({ authorization: 'Bearer {{secrets.EXAMPLE_CRM_TOKEN}}' });
    expect(run.finalText).toContain('{{secrets.EXAMPLE_CRM_TOKEN}}');
  });

  it('moves an http: address to https, and without an address declares an agent with no tool (still valid)', async () => {
    const insecure = await build("a leads tracker with an agent that checks each lead's email via http://verify.example.org/check");
    const upgraded = agentsOf(insecure.files);
    expect(upgraded.validation.valid).toBe(true);
    expect(upgraded.document.tools[0]).toMatchObject({ url: 'https://verify.example.org/check', query: { email: '{{input.email}}' } });
    expect(insecure.run.finalText).toContain('HTTPS only');

    const bare = await build('a tracker for projects with name, owner and budget, with an agent that summarizes each project');
    const { document, validation } = agentsOf(bare.files);
    expect(validation.valid).toBe(true);
    expect(document.tools).toEqual([]);
    expect(document.agents[0]).toMatchObject({ tools: [], dataCollections: { read: ['projects'], write: [] } });
    expect(
      readPrompt('a tracker for projects with name, owner and budget, with an agent that summarizes each project').fields.map((f) => f.key),
    ).toEqual(['name', 'owner', 'budget']);
  });

  it('writes no agents.json when the prompt asks for none', async () => {
    const { files } = await build('a tracker for customer leads with name, email, company, status and next call date');
    expect(files.has(agentsFilePath)).toBe(false);
  });
});
