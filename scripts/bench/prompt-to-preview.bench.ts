import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateAppResponse, PreviewLink, Run, WorkspaceSummary } from '@hangar/protocol';
import { startLocalHost } from '../../functions/src/entrypoints/local-host';
import { repoRoot } from '../paths';
import { format, printTable } from './measure';

/**
 * Prompt → preview with the offline generator, through the real local host and a real worker
 * process: create the app, accept the plan as soon as it appears, wait for the run, then load
 * the preview. The first app also pays for installing the dependency cache; later ones do not.
 */
export async function benchPromptToPreview(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hangar-bench-preview-'));
  const host = await startLocalHost({
    port: 0,
    dataDir,
    log: () => undefined,
    builder: {
      repoRoot,
      templateDir: join(repoRoot, 'template'),
      workerEntry: join(repoRoot, 'worker-container', 'src', 'main.ts'),
      env: { HANGAR_MODEL_PROVIDER: 'offline' },
    },
  });
  try {
    const signIn = await fetch(`${host.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { origin: host.url, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench', email: 'bench@example.com' }),
    });
    const cookie = /hangar_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')?.[0] ?? '';
    const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${host.url}${path}`, {
        method,
        headers: { cookie, origin: host.url, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const workspace = await api<WorkspaceSummary>('POST', '/api/workspaces', { name: 'Bench' });
    const prompts = [
      'A tracker for customer leads with name, email, company, status and next call date',
      'An inventory of products with name, sku, quantity and price',
      'A list of tasks with title, owner, due date and priority',
    ];
    const rows: [string, string][] = [];
    for (const [index, prompt] of prompts.entries()) {
      const started = performance.now();
      const { app, run } = await api<CreateAppResponse>('POST', `/api/workspaces/${workspace.id}/apps`, { prompt });
      let planWaitMs = 0;
      let status: Run['status'] = run.status;
      let reason: string | null = null;
      for (let attempt = 0; attempt < 6000 && !['succeeded', 'failed', 'stopped'].includes(status); attempt++) {
        const current = await api<Run>('GET', `/api/workspaces/${workspace.id}/runs/${run.id}`);
        status = current.status;
        reason = current.failureReason;
        if (status === 'awaiting_approval') {
          planWaitMs = performance.now() - started;
          await api('POST', `/api/workspaces/${workspace.id}/runs/${run.id}/plan`, { decision: 'accept' });
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      if (status !== 'succeeded') throw new Error(`run ${run.id} ended ${status}: ${reason ?? ''}`);
      const done = await api<{ latestVersionId: string }>('GET', `/api/workspaces/${workspace.id}/apps/${app.id}`);
      const link = await api<PreviewLink>('GET', `/api/workspaces/${workspace.id}/apps/${app.id}/versions/${done.latestVersionId}/preview`);
      const page = await fetch(`${host.url}${link.url}`);
      if (page.status !== 200) throw new Error(`preview answered ${page.status}`);
      const total = performance.now() - started;
      rows.push([
        `app ${index + 1}${index === 0 ? ' (installs the dependency cache)' : ''}`,
        `${format(total, 0)} ms to preview (plan shown after ${format(planWaitMs, 0)} ms)`,
      ]);
    }
    printTable('Prompt → preview, offline generator, real worker process and real builds (25 ms polling)', rows);
  } finally {
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
