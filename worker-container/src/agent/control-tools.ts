import { PlanCard } from '@hangar/protocol';
import { z } from 'zod';
import { ToolError } from '../workspace/tool-error';
import type { BuilderTool } from '../workspace/tool';
import type { RunSink } from './run-sink';

/** Tools that change the app: refused for a new app until a person has decided on its plan. */
export const planGatedTools: ReadonlySet<string> = new Set(['write_file', 'edit_file', 'add_dependency', 'done_building']);

/**
 * Plans are enforced, not just asked for: a new app's run cannot write files, install packages or
 * build until a person accepted (or amended) its plan. The control plane checks the same thing
 * when the run records a version.
 */
export class PlanGate {
  private decided: boolean;

  constructor(planRequired: boolean) {
    this.decided = !planRequired;
  }

  /** True once writing and building are allowed. */
  get isOpen(): boolean {
    return this.decided;
  }

  /** The person decided on the plan. */
  open(): void {
    this.decided = true;
  }

  /** The same tool, answering "the plan comes first" while the gate is closed (plan-gated tools only). */
  guard = <I>(tool: BuilderTool<I>): BuilderTool<I> => {
    if (!planGatedTools.has(tool.name)) return tool;
    return {
      ...tool,
      execute: async (input, context) => {
        if (!this.decided) {
          throw new ToolError(
            'plan_required',
            `The plan comes first: this is a new app, so call present_plan and wait for the person to accept it before calling ${tool.name}. Reading files is allowed meanwhile.`,
          );
        }
        return await tool.execute(input, context);
      },
    };
  };
}

/** `present_plan`: pauses the run until the person accepts or amends the plan (which opens `gate`). */
export function presentPlanTool(sink: RunSink, signal: AbortSignal, gate?: PlanGate): BuilderTool<PlanCard> {
  return {
    name: 'present_plan',
    description:
      'For a NEW app only, before writing code: present a short plan (title, one-paragraph summary, 3-10 concrete steps). The run pauses until the person accepts it or amends it with a note; follow their note.',
    input: PlanCard,
    async execute(plan) {
      const decision = await sink.proposePlan(plan, signal);
      // Amending is a person's decision too: the note says what to change while building.
      gate?.open();
      const output =
        decision.decision === 'accepted'
          ? 'The plan was accepted. Build it now.'
          : `The plan was amended: ${decision.note ?? '(no note)'}. Adjust the plan accordingly, then build it.`;
      return { ok: true, output, summary: `Plan ${decision.decision}` };
    },
  };
}

const RenameInput = z.strictObject({ name: z.string().trim().min(1).max(60) });

/** `rename_app`: sets the app's display name. */
export function renameAppTool(sink: RunSink): BuilderTool<z.infer<typeof RenameInput>> {
  return {
    name: 'rename_app',
    description:
      "Sets the app's display name (short, title case), e.g. when the person asks to rename it or when the first build gives it a name.",
    input: RenameInput,
    async execute({ name }) {
      await sink.renameApp(name);
      return { ok: true, output: `The app is now called "${name}".`, summary: `Renamed to ${name}` };
    },
  };
}
