import { hostname } from 'node:os';
import path from 'node:path';
import { runAgentLoop } from './agent/agent-loop';
import { PlanGate, presentPlanTool, renameAppTool } from './agent/control-tools';
import { createBuilderTools } from './build/builder-tools';
import { ensureDependencyCache } from './build/dependency-cache';
import { prepareHealthyWorkspace } from './build/heal-workspace';
import { prepareWorkspace } from './build/prepare-workspace';
import type { BuilderTool } from './workspace/tool';
import { ControlPlaneClient } from './worker/control-plane-client';
import { HttpRunSink } from './worker/http-run-sink';
import { chooseProvider } from './worker/provider-config';
import { recordSnapshot, restoreWorkspace, workspaceVersion } from './worker/snapshot';
import { builderSystemPrompt } from './worker/system-prompt';

/**
 * The worker entry point, the same for a local child process and a Fargate task: one run per
 * process. Environment: HANGAR_RUN_ID, HANGAR_RUN_TOKEN, HANGAR_CONTROL_PLANE_URL,
 * HANGAR_WORKSPACES_DIR, HANGAR_TEMPLATE_DIR, HANGAR_DEPENDENCY_CACHE_DIR, and the model
 * provider variables (see worker/provider-config.ts).
 */
async function main(): Promise<number> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const runId = env('HANGAR_RUN_ID');
  const client = new ControlPlaneClient(env('HANGAR_CONTROL_PLANE_URL'), runId, env('HANGAR_RUN_TOKEN'));
  const log = (message: string) => console.log(`[worker ${runId}] ${message}`);
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());

  const context = await client.context();
  const { provider, model } = chooseProvider(process.env, context.prompt);
  await client.started({ workerId: `${hostname()}:${process.pid}`, provider: provider.name, model });

  // Heartbeats tell the control plane we are alive; its answer tells us when the run was stopped.
  const heartbeat = setInterval(() => {
    client.heartbeat().then(
      (answer) => {
        if (!answer.continue) controller.abort();
      },
      (error: unknown) => log(`heartbeat failed: ${String(error)}`),
    );
  }, 5000);

  const sink = new HttpRunSink(client);
  const usageZero = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  try {
    const workspaceDir = path.join(env('HANGAR_WORKSPACES_DIR'), context.appId);
    const templateDir = env('HANGAR_TEMPLATE_DIR');
    const latest = context.latestVersion;
    // The workspace is prepared while the model plans: only workspace tools wait for it.
    const workspaceReady = (async () => {
      if (latest && (await workspaceVersion(workspaceDir)) !== latest.id) {
        log(`restoring the workspace from version ${latest.number}`);
        await restoreWorkspace(client, workspaceDir, latest);
      }
      const cache = await ensureDependencyCache({
        templateDir,
        cacheRoot: env('HANGAR_DEPENDENCY_CACHE_DIR'),
        signal: controller.signal,
        log,
      });
      // A workspace that cannot be installed or built is reset to the last good version (build/heal-workspace.ts).
      await prepareHealthyWorkspace({
        workspaceDir,
        templateDir,
        lastGood: latest,
        env: { VITE_HANGAR_APP_NAME: context.appName },
        prepare: () => prepareWorkspace({ templateDir, workspaceDir, cache, signal: controller.signal, log }),
        restoreLastGood: () => (latest ? restoreWorkspace(client, workspaceDir, latest) : Promise.resolve()),
        announce: (text) => sink.event({ type: 'text.delta', text }),
        signal: controller.signal,
        log,
      });
    })();
    workspaceReady.catch(() => undefined);

    const isNew = latest === null;
    // A new app's run writes and builds only after a person decided on its plan.
    const planGate = new PlanGate(isNew);
    const afterWorkspaceReady = (tool: BuilderTool<unknown>): BuilderTool<unknown> => ({
      ...tool,
      execute: async (input, toolContext) => {
        await workspaceReady;
        return tool.execute(input, toolContext);
      },
    });
    const tools: BuilderTool<unknown>[] = [
      ...createBuilderTools({
        doneBuilding: {
          templateDir,
          env: { VITE_HANGAR_APP_NAME: context.appName },
          onBuildFinished: (result) =>
            void sink.event({
              type: 'build.finished',
              ok: result.ok,
              typecheckErrors: result.typecheckErrors,
              buildErrors: result.buildErrors,
              durationMs: result.durationMs,
            }),
          onSuccess: async (dir) => {
            await sink.flush();
            const version = await recordSnapshot(client, dir);
            return { versionId: version.id, summary: `Saved as version ${version.number}` };
          },
        },
      })
        .map(afterWorkspaceReady)
        .map(planGate.guard),
      presentPlanTool(sink, controller.signal, planGate),
      renameAppTool(sink),
    ];
    const outcome = await runAgentLoop({
      provider,
      model,
      system: builderSystemPrompt({ appName: context.appName, isNew, history: context.history }),
      prompt: isNew ? context.prompt : `Follow-up: ${context.prompt}`,
      tools,
      workspaceDir,
      sink,
      signal: controller.signal,
      log,
    });
    await sink.flush();
    // A workspace that could not be prepared is the real cause, whatever the loop saw.
    await workspaceReady;
    if (outcome.status === 'stopped') return 0;
    await client.finish(
      outcome.status === 'succeeded'
        ? { status: 'succeeded', summary: outcome.summary, usage: outcome.usage }
        : { status: 'failed', reason: outcome.reason, usage: outcome.usage },
    );
    return 0;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`failed: ${reason}`);
    await sink.flush().catch(() => undefined);
    if (!controller.signal.aborted)
      await client.finish({ status: 'failed', reason: `The worker failed: ${reason}`, usage: usageZero }).catch(() => undefined);
    return 1;
  } finally {
    clearInterval(heartbeat);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
