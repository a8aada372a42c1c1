import { hostname } from 'node:os';
import path from 'node:path';
import { readStandbyWorkerEnvironment, readWorkerEnvironment, workerEnvironmentVariables, workerStandbyVariable } from '@hangar/protocol';
import { runAgentLoop, type AgentOutcome } from './agent/agent-loop';
import { runAppAgent } from './agents/run-app-agent';
import { modelRetryPolicyFromEnvironment } from './agent/model-turn';
import { PlanGate, presentPlanTool, renameAppTool } from './agent/control-tools';
import { prewarmBuildGate } from './build/build-gate';
import { createBuilderTools } from './build/builder-tools';
import { ensureDependencyCache } from './build/dependency-cache';
import { prepareHealthyWorkspace } from './build/heal-workspace';
import { prepareWorkspace } from './build/prepare-workspace';
import type { BuilderTool } from './workspace/tool';
import { ControlPlaneClient } from './worker/control-plane-client';
import { HttpRunSink } from './worker/http-run-sink';
import { GatewayModelProvider } from './model/gateway-model-provider';
import { recordSnapshot, restoreWorkspace, workspaceVersion } from './worker/snapshot';
import {
  adoptStandbyWorkspace,
  discardStandbyWorkspace,
  prepareStandbyWorkspace,
  readAssignment,
  type StandbyWorkspace,
} from './worker/standby';
import { builderSystemPrompt } from './worker/system-prompt';

/**
 * The worker entry point, the same for a local child process and a Fargate task: one run per
 * process. Environment: `workerEnvironmentVariables` (protocol/src/internal.ts). No model key:
 * model calls go through the control plane's model gateway (model/gateway-model-provider.ts).
 */
async function main(): Promise<number> {
  const standby = process.env[workerStandbyVariable] === '1' ? await standBy() : null;
  const config = readWorkerEnvironment({ ...process.env, ...standby?.assignedEnvironment });
  const runId = config.runId;
  const log = (message: string) => console.log(`[worker ${runId}] ${message}`);
  const client = new ControlPlaneClient(config.controlPlaneUrl, runId, config.runToken, fetch, { log });
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());

  const context = await client.context();
  // Model calls go through the control plane, which holds the key and chooses the model.
  const provider = new GatewayModelProvider({ controlPlaneUrl: config.controlPlaneUrl, runId, runToken: config.runToken });
  const { provider: providerName, model } = await provider.choice();
  await client.started({ workerId: `${hostname()}:${process.pid}`, provider: providerName, model });

  // Heartbeats tell the control plane we are alive; its answer tells us when the run was stopped.
  // One at a time: a control plane that is restarting gets the next one when it is back.
  let beating = false;
  const heartbeat = setInterval(() => {
    if (beating) return;
    beating = true;
    client
      .heartbeat()
      .then(
        (answer) => {
          if (!answer.continue) controller.abort();
        },
        (error: unknown) => log(`heartbeat failed: ${String(error)}`),
      )
      .finally(() => (beating = false));
  }, 5000);

  // Events that cannot be delivered end the run with that reason (not as a model failure).
  const sink = new HttpRunSink(client, { log, onFailure: () => controller.abort() });
  const usageZero = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const finishWith = async (outcome: AgentOutcome): Promise<number> => {
    await sink.flush();
    if (outcome.status === 'stopped') {
      await client.finish({ status: 'stopped', usage: outcome.usage }).catch((error: unknown) => log(String(error)));
      return 0;
    }
    await client.finish(
      outcome.status === 'succeeded'
        ? { status: 'succeeded', summary: outcome.summary, usage: outcome.usage }
        : { status: 'failed', reason: outcome.reason, usage: outcome.usage },
    );
    return 0;
  };
  try {
    if (context.agentRun) {
      // An app agent: no workspace and no build, only its approved tools and data (through the control plane).
      return await finishWith(
        await runAppAgent({
          spec: context.agentRun,
          client,
          controlPlaneUrl: config.controlPlaneUrl,
          runId,
          runToken: config.runToken,
          provider,
          model,
          sink,
          signal: controller.signal,
          retryPolicy: modelRetryPolicyFromEnvironment(process.env),
          log,
        }),
      );
    }
    const workspaceDir = path.join(config.workspacesDir, context.appId);
    const templateDir = config.templateDir;
    const latest = context.latestVersion;
    // The workspace is prepared while the model plans: only workspace tools wait for it.
    const workspaceReady = (async () => {
      // A standby's prepared, warm workspace becomes a new app's; an existing app's run does not need it.
      const adopted = standby?.workspace && latest === null ? await adoptStandbyWorkspace(standby.workspace, workspaceDir) : false;
      if (adopted) log("workspace: adopted the standby worker's prepared workspace (its type check and Vite build are warm)");
      else if (standby?.workspace) void discardStandbyWorkspace(standby.workspace).catch(() => undefined);
      if (latest && (await workspaceVersion(workspaceDir)) !== latest.id) {
        log(`restoring the workspace from version ${latest.number}`);
        await restoreWorkspace(client, workspaceDir, latest);
      }
      const cache = await ensureDependencyCache({
        templateDir,
        cacheRoot: config.dependencyCacheDir,
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
      // While the plan awaits a person and the model writes: a spare Vite build and a first full type check
      // (an adopted workspace has both already).
      if (!adopted) void prewarmBuildGate({ workspaceDir });
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
          onBuildFinished: (result) => {
            const steps = result.steps;
            log(
              `build ${result.ok ? 'passed' : 'failed'} in ${result.durationMs} ms` +
                (steps
                  ? ` (type check ${steps.typecheckMs} ms, ${steps.typeChecker}; vite build ${steps.buildMs} ms, ${steps.bundler})`
                  : ''),
            );
            void sink.event({
              type: 'build.finished',
              ok: result.ok,
              typecheckErrors: result.typecheckErrors,
              buildErrors: result.buildErrors,
              durationMs: result.durationMs,
            });
          },
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
      retryPolicy: modelRetryPolicyFromEnvironment(process.env),
      log,
    });
    await sink.flush();
    // A workspace that could not be prepared is the real cause, whatever the loop saw.
    await workspaceReady;
    return await finishWith(outcome);
  } catch (error) {
    // Undelivered events are the real cause when they happened: the loop only saw the abort.
    const reason = sink.failure?.message ?? `The worker failed: ${error instanceof Error ? error.message : String(error)}`;
    log(`failed: ${reason}`);
    await sink.flush().catch(() => undefined);
    if (!controller.signal.aborted || sink.failure)
      await client.finish({ status: 'failed', reason, usage: usageZero }).catch(() => undefined);
    return 1;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Standby (worker/standby.ts): prepares and warms a workspace while no run exists, then waits for
 * the launcher's one assignment line on stdin. Says `[standby] ready` once everything is warm.
 */
async function standBy(): Promise<{ assignedEnvironment: Record<string, string>; workspace: StandbyWorkspace | null }> {
  const log = (message: string) => console.log(`[standby] ${message}`);
  const config = readStandbyWorkerEnvironment(process.env);
  const preparing = prepareStandbyWorkspace(config, log).catch((error: unknown) => {
    log(`could not prepare (${error instanceof Error ? error.message : String(error)})`);
    return null;
  });
  void preparing.then(async (workspace) => {
    await workspace?.warm;
    log('ready');
  });
  // A standby stopped before its run removes its prepared workspace and exits.
  const onStop = () => {
    void preparing
      .then((workspace) => workspace && discardStandbyWorkspace(workspace))
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.once('SIGTERM', onStop);
  const assignment = await readAssignment().finally(() => process.off('SIGTERM', onStop));
  const names = workerEnvironmentVariables;
  return {
    assignedEnvironment: {
      [names.runId]: assignment.runId,
      [names.runToken]: assignment.runToken,
      [names.controlPlaneUrl]: assignment.controlPlaneUrl,
    },
    // The run waits for the workspace (the dependency cache it needs anyway), not for the warm-up.
    workspace: await preparing,
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
