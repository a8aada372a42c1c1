import type { Usage } from '@hangar/protocol';
import type { Message, ModelProvider, TokenUsage, ToolResultBlock } from '../model/model-provider';
import { estimateCost } from '../model/estimate-cost';
import { systemTimers, type LoopTimers } from './loop-timers';
import { defaultModelRetryPolicy, streamModelTurn, type ModelRetryPolicy } from './model-turn';
import { runToolByName, toolDefinitions, type BuilderTool, type ToolResult } from '../workspace/tool';
import type { RunSink } from './run-sink';

export interface AgentLoopOptions {
  provider: ModelProvider;
  model: string;
  system: string;
  /** The first user message: the prompt, or `Follow-up: <text>` for an existing app. */
  prompt: string;
  tools: readonly BuilderTool<unknown>[];
  workspaceDir: string;
  sink: RunSink;
  signal: AbortSignal;
  maxTurns?: number;
  /** Consecutive failed `done_building` calls before the run gives up. */
  maxFailedBuilds?: number;
  maxTokens?: number;
  /** A tool call whose JSON input is longer is not run (the file tools write at most 256 KB). */
  maxToolInputChars?: number;
  /** Responses cut off inside a tool call in a row before the run gives up. */
  maxTruncatedTurns?: number;
  /** Overrides of the model call retry policy (attempts, backoff, retry-after cap, silence). */
  retryPolicy?: Partial<ModelRetryPolicy>;
  /** Time for retries and the silence watchdog; real timers by default. */
  timers?: LoopTimers;
  log?: (message: string) => void;
}

export type AgentOutcome =
  | { status: 'succeeded'; summary: string; usage: Usage }
  | { status: 'failed'; reason: string; usage: Usage }
  | { status: 'stopped'; usage: Usage };

const fileChangingTools = new Set(['write_file', 'edit_file', 'add_dependency']);
const defaultMaxToolInputChars = 1024 * 1024;

/**
 * The builder agent loop: stream a model turn (retried as `model-turn.ts` says), forward text
 * and reasoning, run the requested tools, feed their results back, until the model ends its
 * turn. A response cut off by `max_tokens` inside a tool call is not run: the model is asked to
 * redo the call. A text answer cut off the same way, or a refusal, fails the run. Caps: turns,
 * consecutive truncated responses, and consecutive failed builds (the run then fails with the
 * last errors instead of looping). Stop aborts the model stream and any running tool.
 */
export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentOutcome> {
  const maxTurns = options.maxTurns ?? 40;
  const maxFailedBuilds = options.maxFailedBuilds ?? 3;
  const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text: options.prompt }] }];
  const definitions = toolDefinitions(options.tools);
  const totals: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  const usage = (): Usage => ({
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    costUsd: estimateCost(options.model, totals) ?? 0,
  });
  let failedBuilds = 0;
  let changedSinceBuild = false;
  let lastBuildErrors: string | null = null;
  let everBuilt = false;
  let lastText = '';
  let truncatedTurns = 0;
  const maxTokens = options.maxTokens ?? 8192;
  const maxTruncatedTurns = options.maxTruncatedTurns ?? 3;
  const maxToolInputChars = options.maxToolInputChars ?? defaultMaxToolInputChars;

  for (let turn = 0; turn < maxTurns; turn++) {
    if (options.signal.aborted) return { status: 'stopped', usage: usage() };
    const outcome = await streamModelTurn({
      provider: options.provider,
      request: { model: options.model, system: options.system, messages, tools: definitions, maxTokens },
      signal: options.signal,
      policy: { ...defaultModelRetryPolicy, ...options.retryPolicy },
      timers: options.timers ?? systemTimers,
      emit: (event) => options.sink.event(event),
      addUsage: (tokens) => {
        totals.inputTokens += tokens.inputTokens;
        totals.outputTokens += tokens.outputTokens;
      },
    });
    if (outcome.status === 'stopped') return { status: 'stopped', usage: usage() };
    if (outcome.status === 'failed') return { status: 'failed', reason: outcome.reason, usage: usage() };
    const { content, stopReason, text } = outcome.turn;
    if (text) lastText = text;

    if (stopReason === 'refusal') {
      const said = text ? ` It said: ${text.slice(0, 1000)}` : '';
      return { status: 'failed', reason: `The model declined to continue with this request.${said}`, usage: usage() };
    }
    const calls = content.filter((block) => block.type === 'tool_use');
    if (stopReason === 'max_tokens') {
      const cut = calls.at(-1);
      if (!cut) {
        return {
          status: 'failed',
          reason: `The model's answer was cut off at its output limit of ${maxTokens} tokens before it finished, so the run did not complete.`,
          usage: usage(),
        };
      }
      // The last call's input is cut short: it is never run, and never sent back as a tool_use.
      if (++truncatedTurns > maxTruncatedTurns) {
        return {
          status: 'failed',
          reason: `The model's responses were cut off at the output limit of ${maxTokens} tokens ${truncatedTurns} times in a row while calling ${cut.name}, so the run stopped.`,
          usage: usage(),
        };
      }
      const kept = content.filter((block) => block.type !== 'tool_use');
      if (kept.some((block) => block.type === 'text')) messages.push({ role: 'assistant', content: kept });
      appendUserText(messages, truncatedCallNote(cut.name, calls.length, maxTokens));
      await options.sink.event({ type: 'text.delta', text: `\n\n(The response was cut off while writing the ${cut.name} call; asking the model to redo it in smaller parts.)\n\n` });
      continue;
    }
    truncatedTurns = 0;
    messages.push({ role: 'assistant', content });

    if (calls.length === 0) {
      if (lastBuildErrors !== null) {
        const said = lastText ? `It said: ${lastText.slice(0, 1000)}\n` : '';
        return {
          status: 'failed',
          reason: `The agent stopped after a failed build. ${said}Last errors:\n${lastBuildErrors.slice(0, 3000)}`,
          usage: usage(),
        };
      }
      if (changedSinceBuild) {
        return {
          status: 'failed',
          reason: 'The agent stopped with unbuilt changes: it never called done_building after its last edit.',
          usage: usage(),
        };
      }
      return { status: 'succeeded', summary: lastText || (everBuilt ? 'Built successfully.' : 'Done.'), usage: usage() };
    }

    const results: ToolResultBlock[] = [];
    for (const call of calls) {
      await options.sink.event({ type: 'tool.started', callId: call.id, name: call.name, input: call.input });
      const inputChars = JSON.stringify(call.input ?? {}).length;
      const oversized = inputChars > maxToolInputChars;
      const result: ToolResult = oversized
        ? oversizedInputResult(call.name, inputChars, maxToolInputChars)
        : await runToolByName(options.tools, call.name, call.input, {
            workspaceDir: options.workspaceDir,
            signal: options.signal,
            ...(options.log ? { log: options.log } : {}),
          });
      // The conversation keeps a placeholder: resending megabytes would overflow every later request.
      if (oversized) call.input = { omitted: `${megabytes(inputChars)} of input, not run` };
      if (options.signal.aborted) return { status: 'stopped', usage: usage() };
      if (result.ok && fileChangingTools.has(call.name)) changedSinceBuild = true;
      await options.sink.event({
        type: 'tool.finished',
        callId: call.id,
        name: call.name,
        ok: result.ok,
        summary: result.summary.slice(0, 2000),
        ...(result.diff ? { diff: result.diff } : {}),
        output: result.output.slice(0, 8000),
      });
      results.push({ type: 'tool_result', toolUseId: call.id, content: result.output, isError: !result.ok });
      if (call.name === 'done_building') {
        lastBuildErrors = result.ok ? null : result.output;
        if (result.ok) {
          failedBuilds = 0;
          changedSinceBuild = false;
          everBuilt = true;
        } else if (++failedBuilds >= maxFailedBuilds) {
          const reason = `The build failed ${failedBuilds} times in a row, so the run stopped instead of looping. Last errors:\n${result.output.slice(0, 3000)}`;
          return { status: 'failed', reason, usage: usage() };
        }
      }
    }
    messages.push({ role: 'user', content: results });
  }
  return { status: 'failed', reason: `The agent used all ${maxTurns} turns without finishing.`, usage: usage() };
}

/** Adds text to the newest user message (tool results and a note travel together), or starts one. */
function appendUserText(messages: Message[], text: string): void {
  const last = messages.at(-1);
  if (last?.role === 'user') last.content.push({ type: 'text', text });
  else messages.push({ role: 'user', content: [{ type: 'text', text }] });
}

function truncatedCallNote(name: string, calls: number, maxTokens: number): string {
  const others = calls > 1 ? ` None of the ${calls} calls in that response were run.` : '';
  return (
    `Your last response was cut off at the output limit of ${maxTokens} tokens while you were writing the input of a ${name} call, ` +
    `so that call was not run.${others} Make the call again with a smaller input: write a large file as a shorter first version ` +
    `and add the rest with edit_file, or split the work into several calls.`
  );
}

function megabytes(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}

function oversizedInputResult(name: string, chars: number, limit: number): ToolResult {
  return {
    ok: false,
    summary: `Input too large (${megabytes(chars)})`,
    output: `The input of this ${name} call was ${megabytes(chars)}, over the ${megabytes(limit)} limit for one tool call, so it was not run. Write large files in parts: a first version with write_file, then additions with edit_file.`,
  };
}
