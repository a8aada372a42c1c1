import { describe, expect, it } from 'vitest';
import { builderSystemPrompt } from './system-prompt';

describe('the builder agent’s system prompt', () => {
  it('explains agents.json, the agent hooks, and that secrets are placeholders only', () => {
    const prompt = builderSystemPrompt({ appName: 'Lead Tracker', isNew: true, history: [] });
    expect(prompt).toContain('agents.json at the workspace root');
    expect(prompt).toContain('useAgentList()');
    expect(prompt).toContain('useAgent(id) gives { trigger(input), status, result, error, runId }');
    expect(prompt).toMatch(/Secrets only ever as \{\{secrets\.NAME\}\} placeholders/);
    // Its example tool calls https on its declared domain, as the validator requires.
    expect(prompt).toContain('"url":"https://api.example.com/v1/companies","domain":"api.example.com"');
  });
});
