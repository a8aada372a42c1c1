import { agentsFilePath, type AgentsDocument } from '@hangar/protocol';
import type { GeneratedFile } from './app-generator';
import type { AppSpec } from './app-spec';

/**
 * The generated app's `agents.json`, for a prompt that asked for an agent: one manual agent that
 * reads and writes the app's one collection, with the HTTP tool of the web address the prompt
 * named (GET, the record's field as a query parameter, locked to that host). A key the service
 * needs is only ever the `{{secrets.NAME}}` placeholder: the value is set by an admin in Hangar.
 * Nothing runs for real until an admin approves this exact file.
 */
export function agentsFile(spec: AppSpec): GeneratedFile | null {
  const agent = spec.agent;
  if (!agent) return null;
  const collection = spec.entity.collection;
  const tool = agent.tool;
  const document: AgentsDocument = {
    version: 1,
    agents: [
      {
        id: agent.id,
        name: agent.name,
        description: agent.description,
        instructions: agent.instructions,
        tools: tool ? [tool.name] : [],
        dataCollections: { read: [collection], write: tool ? [collection] : [] },
        triggers: [{ type: 'manual' }],
      },
    ],
    tools: tool
      ? [
          {
            name: tool.name,
            description: tool.description,
            method: 'GET',
            url: tool.url,
            domain: tool.domain,
            query: { [tool.inputKey]: `{{input.${tool.inputKey}}}` },
            ...(tool.secretName ? { headers: { authorization: `Bearer {{secrets.${tool.secretName}}}` } } : {}),
            inputSchema: {
              type: 'object',
              properties: { [tool.inputKey]: { type: 'string', description: `The ${spec.entity.singular}'s ${tool.inputKey}` } },
              required: [tool.inputKey],
            },
            mock: {
              [tool.inputKey]: 'Example',
              source: tool.domain,
              note: 'A mock answer: the real call starts once an admin approves agents.json.',
            },
          },
        ]
      : [],
  };
  return { path: agentsFilePath, content: `${JSON.stringify(document, null, 2)}\n` };
}
