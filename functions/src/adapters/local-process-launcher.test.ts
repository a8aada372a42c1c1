import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalProcessLauncher, withoutModelSettings } from './local-process-launcher';

describe('local process launcher', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts the worker with no model key or model setting in its environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-launcher-'));
    dirs.push(dir);
    const entry = join(dir, 'print-env.mjs');
    writeFileSync(entry, 'console.log("ENV " + JSON.stringify(process.env));\n');
    const lines: string[] = [];
    let exited!: () => void;
    const exit = new Promise<void>((resolve) => (exited = resolve));
    const previous = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-host-secret';
    try {
      const launcher = createLocalProcessLauncher({
        workerEntry: entry,
        cwd: process.cwd(),
        env: { HANGAR_MODEL_PROVIDER: 'anthropic', HANGAR_OPENAI_API_KEY: 'sk-openai', HANGAR_WORKSPACES_DIR: dir },
        onExit: () => exited(),
        log: (line) => lines.push(line),
      });
      await launcher.launch({
        runId: 'run_1',
        appId: 'app_1',
        workspaceId: 'wsp_1',
        runToken: 'token',
        controlPlaneUrl: 'http://127.0.0.1:1',
      });
      await exit;
    } finally {
      if (previous === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = previous;
    }
    const printed = lines.find((line) => line.startsWith('ENV '));
    const env = JSON.parse(printed?.slice(4) ?? '{}') as Record<string, string>;
    expect(env).toMatchObject({ HANGAR_RUN_ID: 'run_1', HANGAR_RUN_TOKEN: 'token', HANGAR_WORKSPACES_DIR: dir });
    for (const name of ['ANTHROPIC_API_KEY', 'HANGAR_MODEL_PROVIDER', 'HANGAR_OPENAI_API_KEY']) expect(env).not.toHaveProperty(name);
  });

  it('keeps AWS_REGION, which is not a secret', () => {
    expect(withoutModelSettings({ AWS_REGION: 'eu-west-1', ANTHROPIC_BASE_URL: 'http://x', PATH: '/bin' })).toEqual({
      AWS_REGION: 'eu-west-1',
      PATH: '/bin',
    });
  });
});
