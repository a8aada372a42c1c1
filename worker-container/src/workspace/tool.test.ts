import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fileTools } from './file-tools';
import { runTool, runToolByName, toolDefinitions, trimOutput, type BuilderTool } from './tool';
import { ToolError } from './tool-error';

const echo: BuilderTool<{ text: string }> = {
  name: 'echo',
  description: 'Echo text.',
  input: z.strictObject({ text: z.string().max(10) }),
  execute: ({ text }) => {
    if (text === 'refuse') return Promise.reject(new ToolError('invalid_input', 'Refused for a reason.\nSecond line.'));
    if (text === 'crash') return Promise.reject(new Error('disk on fire'));
    return Promise.resolve({ ok: true, output: `  ${text}\n`, summary: `echoed ${text}` });
  },
};
const context = { workspaceDir: '/nonexistent' };

describe('runTool', () => {
  it('validates input and trims the output', async () => {
    expect(await runTool(echo, { text: 'hi' }, context)).toEqual({ ok: true, output: 'hi', summary: 'echoed hi' });
  });

  it('turns invalid input into ok: false with the zod message, never throwing', async () => {
    const extra = await runTool(echo, { text: 'hi', more: 1 }, context);
    expect(extra).toMatchObject({ ok: false, summary: 'echo: invalid input' });
    expect(extra.output).toMatch(/^Invalid input for echo:\n.*Unrecognized key: "more"/s);
    expect((await runTool(echo, { text: 'far too long text' }, context)).output).toMatch(/at most 10|<=10/);
    expect((await runTool(echo, 'not an object', context)).ok).toBe(false);
    expect((await runTool(echo, null, context)).ok).toBe(false);
  });

  it('turns a ToolError into its message and an unexpected error into a failure result', async () => {
    expect(await runTool(echo, { text: 'refuse' }, context)).toEqual({
      ok: false,
      output: 'Refused for a reason.\nSecond line.',
      summary: 'echo: Refused for a reason.',
    });
    const messages: string[] = [];
    const crashed = await runTool(echo, { text: 'crash' }, { ...context, log: (message) => messages.push(message) });
    expect(crashed).toEqual({ ok: false, output: 'echo failed: disk on fire', summary: 'echo failed' });
    expect(messages).toEqual(['tool echo failed unexpectedly: disk on fire']);
  });

  it('does not run once the run is stopped', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await runTool(echo, { text: 'hi' }, { ...context, signal: controller.signal })).toMatchObject({
      ok: false,
      output: 'The run was stopped.',
    });
  });

  it('answers an unknown tool name with the list of tools', async () => {
    const result = await runToolByName([echo] as BuilderTool<unknown>[], 'rm_rf', {}, context);
    expect(result).toEqual({ ok: false, output: 'There is no tool named "rm_rf". Available tools: echo.', summary: 'unknown tool rm_rf' });
  });
});

describe('toolDefinitions', () => {
  it('produces closed JSON Schemas for the model, without $schema', () => {
    const definitions = toolDefinitions([...fileTools] as BuilderTool<unknown>[]);
    expect(definitions.map((definition) => definition.name)).toEqual([
      'list_files',
      'read_file',
      'write_file',
      'edit_file',
      'search_files',
    ]);
    for (const definition of definitions) {
      expect(definition.inputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(definition.inputSchema).not.toHaveProperty('$schema');
      expect(definition.description.length).toBeGreaterThan(20);
    }
    expect(definitions[3]?.inputSchema).toMatchObject({
      required: ['path', 'oldString', 'newString'],
      properties: { oldString: { type: 'string', minLength: 1 } },
    });
  });
});

describe('trimOutput', () => {
  it('keeps the start and says how much was cut', () => {
    expect(trimOutput('  abc  ')).toBe('abc');
    expect(trimOutput('abcdefghij', 4)).toBe('abcd\n… (6 more characters not shown)');
  });
});
