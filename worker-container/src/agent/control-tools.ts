import { PlanCard } from '@hangar/protocol';
import { z } from 'zod';
import type { BuilderTool } from '../workspace/tool';
import type { RunSink } from './run-sink';

/** `present_plan`: pauses the run until the person accepts or amends the plan. */
export function presentPlanTool(sink: RunSink, signal: AbortSignal): BuilderTool<PlanCard> {
  return {
    name: 'present_plan',
    description:
      'For a NEW app only, before writing code: present a short plan (title, one-paragraph summary, 3-10 concrete steps). The run pauses until the person accepts it or amends it with a note; follow their note.',
    input: PlanCard,
    async execute(plan) {
      const decision = await sink.proposePlan(plan, signal);
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
