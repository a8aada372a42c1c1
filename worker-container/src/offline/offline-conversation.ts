/**
 * The offline generator's decisions: given the conversation so far, what to say and which tools
 * to call next. Pure and stateless — everything is read back from the messages — so the same
 * conversation always gets the same answer and an interrupted run resumes where it stopped.
 *
 * New app (the first user message is the prompt itself):
 *   plan ──present_plan──▶ write files ──write_file×6──▶ rename_app + done_building ──▶ summary
 *    ▲  └─ a note it cannot apply: the plan again, with the note named on the card
 *    └──── out of scope (a game…): a plan card saying so; accepted ─▶ end, nothing built;
 *          amended with a data app ─▶ a plan for that
 * Follow-up (the first user message is `Follow-up: <request>`):
 *   search_files (find the fields file) ──▶ read_file ──▶ edit_file (+ rename_app) ──▶ done_building ──▶ summary
 * A failing tool or build ends the turn with an explanation; nothing loops.
 */
import type { Message, ToolResultBlock, ToolUseBlock } from '../model/model-provider';
import type { AppSpec } from './app-spec';
import { fieldsFileMarker, fieldsFilePath, generateApp } from './app-generator';
import { applyToSpec, editForFollowUp, readFieldsFile, textFromReadOutput } from './fields-file-edits';
import {
  buildFailed,
  builtSummary,
  capabilities,
  changedSummary,
  noteNotApplied,
  nothingBuilt,
  outOfScopeIntro,
  outOfScopePlan,
  planIntro,
  planSteps as planCardSteps,
} from './offline-messages';
import { outOfScopeRequest } from './prompt-scope';
import { readFollowUp, readPrompt, type FollowUp } from './prompt-reader';

/** One assistant turn: text, then tool calls (none means the turn ends the run). */
export interface OfflineTurn {
  text: string;
  calls: { name: string; input: Record<string, unknown> }[];
}

/** The prefix the agent loop puts before a follow-up request in the first user message. */
export const followUpPrefix = 'Follow-up:';

interface Step {
  call: ToolUseBlock;
  result: ToolResultBlock | undefined;
}

/** Decides the next assistant turn from the conversation so far. */
export function decideTurn(messages: readonly Message[]): OfflineTurn {
  const requestIndex = messages.findLastIndex(
    (message) => message.role === 'user' && message.content.some((block) => block.type === 'text'),
  );
  const request = requestIndex === -1 ? '' : userText(messages[requestIndex]!);
  const history = messages.slice(requestIndex + 1);
  const lastCalls = lastAssistantCalls(history);
  const trimmed = request.trim();
  const hasPrefix = trimmed.toLowerCase().startsWith(followUpPrefix.toLowerCase());
  if (trimmed === '') return say(capabilities);
  // A later user text (after a finished turn) is a follow-up too.
  if (requestIndex > 0 || hasPrefix)
    return followUpTurn(hasPrefix ? trimmed.slice(followUpPrefix.length).trim() : trimmed, lastCalls, history);
  return newAppTurn(trimmed, lastCalls, history);
}

/**
 * Where a new app's planning stands after every plan decision so far: the request being built
 * (a note can replace an out-of-scope prompt), the spec with every applicable note applied, and
 * what the latest decision needs next.
 */
interface PlanningState {
  spec: AppSpec;
  /** Set while the request is not something the offline generator builds (`'a chess game'`). */
  outOfScope: string | null;
  /** What the latest plan decision asks for: present a (new) plan, build, or end without building. */
  next: 'plan' | 'build' | 'end';
  /** Said before the next step: what the latest note changed, or why it could not be applied. */
  noteText: string;
  /** The latest note, when it could not be applied: shown on the next plan card. */
  unappliedNote: string | null;
}

function planningState(prompt: string, history: readonly Message[]): PlanningState {
  let outOfScope = outOfScopeRequest(prompt);
  let spec = readPrompt(prompt);
  const state: PlanningState = { spec, outOfScope, next: 'plan', noteText: '', unappliedNote: null };
  for (const step of planSteps(history)) {
    if (!step.result) break;
    const note = amendmentNote(step);
    state.noteText = '';
    state.unappliedNote = null;
    if (outOfScope) {
      // An out-of-scope request ends unless the note describes a data app to build instead.
      if (note && !outOfScopeRequest(note) && !isChangeNote(note, spec)) {
        outOfScope = null;
        spec = readPrompt(note);
        state.next = 'plan';
        state.noteText = `Let's build that instead. `;
      } else {
        state.next = note ? 'plan' : 'end';
        state.noteText = note ? `I still can't build that offline. ` : '';
      }
      continue;
    }
    if (!note) {
      state.next = 'build';
      continue;
    }
    const change = readFollowUp(note, spec.entity.singular);
    if (applyToSpec(spec, change)) {
      state.next = 'build';
      state.noteText = `Noted: ${describeChange(change)}. `;
    } else {
      // Never silently dropped: the plan comes back with the note named on it.
      state.next = 'plan';
      state.unappliedNote = note;
      state.noteText = `${noteNotApplied(note)} `;
    }
  }
  return { ...state, spec, outOfScope };
}

/** Whether a note reads as a change to the plan (add/remove a field, rename) rather than a new request. */
function isChangeNote(note: string, spec: AppSpec): boolean {
  return readFollowUp(note, spec.entity.singular).kind !== 'unknown';
}

function newAppTurn(prompt: string, lastCalls: Step[], history: readonly Message[]): OfflineTurn {
  const state = planningState(prompt, history);
  const { spec } = state;
  const names = lastCalls.map((step) => step.call.name);
  const failed = lastCalls.find((step) => step.result?.isError);

  if (lastCalls.length === 0 || names.includes('present_plan')) {
    if (failed) return say(`I could not present the plan: ${failed.result?.content ?? 'no result'}. Nothing was changed.`);
    if (lastCalls.length > 0 && state.next === 'end') return say(nothingBuilt(state.outOfScope ?? 'that'));
    if (lastCalls.length === 0 || state.next === 'plan') {
      if (state.outOfScope) {
        return {
          text: `${state.noteText}${outOfScopeIntro(state.outOfScope)}`,
          calls: [{ name: 'present_plan', input: { ...outOfScopePlan(state.outOfScope) } }],
        };
      }
      return {
        text: `${state.noteText}${planIntro(spec)}`,
        calls: [
          {
            name: 'present_plan',
            input: { title: spec.appName, summary: planSummary(spec, state.unappliedNote), steps: planCardSteps(spec) },
          },
        ],
      };
    }
    const files = generateApp(spec);
    return {
      text: `${state.noteText}Writing ${spec.appName}: the fields file first, then the form, the table and the app screen.`,
      calls: files.map((file) => ({ name: 'write_file', input: { path: file.path, content: file.content } })),
    };
  }
  if (names.includes('write_file')) {
    if (failed)
      return say(
        `Writing ${String((failed.call.input as { path?: unknown }).path)} failed: ${failed.result?.content ?? 'no result'}. I stopped; retry the run.`,
      );
    return {
      text: `Naming the app and running the build gate.`,
      calls: [
        { name: 'rename_app', input: { name: spec.appName } },
        { name: 'done_building', input: {} },
      ],
    };
  }
  if (names.includes('done_building')) {
    const build = lastCalls.find((step) => step.call.name === 'done_building');
    if (build?.result?.isError) return say(buildFailed(build.result.content));
    return say(builtSummary(spec, fieldsFilePath(spec)));
  }
  return say(builtSummary(spec, fieldsFilePath(spec)));
}

function followUpTurn(request: string, lastCalls: Step[], history: readonly Message[]): OfflineTurn {
  const searched = findStep(history, 'search_files');
  const read = findStep(history, 'read_file');
  const fieldsPath = searched ? fieldsPathFrom(searched) : undefined;
  const facts = read?.result && !read.result.isError ? readFieldsFile(textFromReadOutput(read.result.content)) : undefined;
  const change = readFollowUp(request, facts?.entitySingular ?? 'item');
  if (change.kind === 'unknown') return say(`I'm not sure how to do “${request}”.\n\n${capabilities}`);
  const names = lastCalls.map((step) => step.call.name);
  const failed = lastCalls.find((step) => step.result?.isError);

  if (lastCalls.length === 0) {
    return {
      text: 'Looking for the file that lists the fields.',
      calls: [{ name: 'search_files', input: { query: fieldsFileMarker, glob: '-fields.ts' } }],
    };
  }
  if (names.includes('search_files')) {
    if (!fieldsPath) {
      if (change.kind === 'rename_app')
        return {
          text: 'This app was not generated offline, so I will only change its name in Hangar.',
          calls: [{ name: 'rename_app', input: { name: change.name } }],
        };
      return say(
        `I could not find a fields file generated by the offline generator in this app, so I cannot change its fields without a model.\n\n${capabilities}`,
      );
    }
    return { text: `Reading ${fieldsPath}.`, calls: [{ name: 'read_file', input: { path: fieldsPath } }] };
  }
  if (names.includes('read_file')) {
    if (failed || !fieldsPath)
      return say(`I could not read the fields file: ${failed?.result?.content ?? 'it was not found'}. Nothing was changed.`);
    const edit = editForFollowUp(fieldsPath, textFromReadOutput(read?.result?.content ?? ''), change);
    if ('problem' in edit) return say(`${edit.problem} Nothing was changed.`);
    const calls: OfflineTurn['calls'] = [{ name: 'edit_file', input: { ...edit } }];
    if (change.kind === 'rename_app') calls.push({ name: 'rename_app', input: { name: change.name } });
    return { text: `${capitalize(describeChange(change))}: a one-line edit to ${fieldsPath}.`, calls };
  }
  if (names.includes('edit_file')) {
    if (failed) return say(`The edit failed: ${failed.result?.content ?? 'no result'}. Nothing else was changed.`);
    return { text: 'Checking that the app still typechecks and builds.', calls: [{ name: 'done_building', input: {} }] };
  }
  if (names.includes('done_building')) {
    const build = lastCalls.find((step) => step.call.name === 'done_building');
    if (build?.result?.isError) return say(buildFailed(build.result.content));
    const removed =
      change.kind === 'remove_field'
        ? facts?.fields.find((field) => field.key.toLowerCase() === change.key.toLowerCase())?.label
        : undefined;
    return say(changedSummary(change, removed));
  }
  if (names.includes('rename_app')) {
    if (failed) return say(`Renaming failed: ${failed.result?.content ?? 'no result'}.`);
    return say(changedSummary(change));
  }
  return say(capabilities);
}

function planSummary(spec: AppSpec, unappliedNote: string | null): string {
  const summary = `A ${spec.entity.singular} tracker with a searchable, filterable table and a form for its ${spec.fields.length} fields; records are saved in the app's live data and appear for everyone at once.`;
  return unappliedNote ? `${noteNotApplied(unappliedNote)} ${summary}` : summary;
}

function describeChange(change: FollowUp): string {
  switch (change.kind) {
    case 'add_field':
      return `adding a “${change.field.label}” field`;
    case 'remove_field':
      return `removing the “${change.label}” field`;
    case 'rename_app':
      return `renaming the app to “${change.name}”`;
    case 'unknown':
      return 'nothing';
    default: {
      const unexpected: never = change;
      return String(unexpected);
    }
  }
}

/** Every `present_plan` call of the run, oldest first, with its decision when there is one. */
function planSteps(history: readonly Message[]): Step[] {
  return history.flatMap((message, index) =>
    message.role === 'assistant' ? stepsOf(message, history[index + 1]).filter((step) => step.call.name === 'present_plan') : [],
  );
}

/** The person's note when the plan tool's result says it was amended. */
function amendmentNote(step: Step): string | undefined {
  const content = step.result?.content ?? '';
  const match = /amended:\s*([\s\S]*?)(?:\.\s*Adjust the plan accordingly[\s\S]*)?$/i.exec(content);
  const note = match?.[1]?.trim();
  return note && note !== '(no note)' ? note : undefined;
}

/** The fields file path from a `search_files` result (`src/lead-fields.ts:3: …`). */
function fieldsPathFrom(step: Step): string | undefined {
  if (!step.result || step.result.isError) return undefined;
  return /^([^\s:]+-fields\.ts):\d+:/m.exec(step.result.content)?.[1];
}

function userText(message: Message): string {
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

function lastAssistantCalls(history: readonly Message[]): Step[] {
  const index = history.findLastIndex((message) => message.role === 'assistant');
  if (index === -1) return [];
  return stepsOf(history[index]!, history[index + 1]);
}

function findStep(history: readonly Message[], name: string): Step | undefined {
  for (let index = history.length - 1; index >= 0; index--) {
    const message = history[index]!;
    if (message.role !== 'assistant') continue;
    const step = stepsOf(message, history[index + 1]).find((candidate) => candidate.call.name === name);
    if (step) return step;
  }
  return undefined;
}

function stepsOf(assistant: Message, next: Message | undefined): Step[] {
  const results = next?.role === 'user' ? next.content.filter((block) => block.type === 'tool_result') : [];
  return assistant.content
    .filter((block) => block.type === 'tool_use')
    .map((call) => ({ call, result: results.find((result) => result.toolUseId === call.id) }));
}

function say(text: string): OfflineTurn {
  return { text, calls: [] };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
