import type { AgentCapabilities } from '@hangar/protocol';

export type CapabilityClass = { id: 'untrusted' | 'private' | 'outside'; held: boolean; title: string; detail: string };

/** The three rule-of-two classes of an agent, in plain words, with the validator's reasons for each. */
export function capabilityClasses(capabilities: AgentCapabilities): CapabilityClass[] {
  const reasonsFor = (prefix: string) =>
    capabilities.reasons
      .filter((reason) => reason.startsWith(prefix))
      .map((reason) => reason.slice(reason.indexOf(':') + 1).trim())
      .join('; ');
  return [
    {
      id: 'untrusted',
      held: capabilities.readsUntrustedContent,
      title: 'Reads content from outside',
      detail: reasonsFor('reads untrusted content') || 'Calls no HTTP tools, so nothing from the internet reaches it.',
    },
    {
      id: 'private',
      held: capabilities.touchesPrivateData,
      title: 'Touches private data',
      detail: reasonsFor('touches private data') || 'Reads no app data and uses no secrets.',
    },
    {
      id: 'outside',
      held: capabilities.changesStateOrTalksOutside,
      title: 'Changes data or sends things out',
      detail:
        [reasonsFor('changes state:'), reasonsFor('changes state or talks outside')].filter(Boolean).join('; ') ||
        'Only reads: it writes nothing and makes no POST, PUT, PATCH or DELETE calls.',
    },
  ];
}

/** One sentence on what the rule of two means for this agent. */
export function ruleOfTwoSummary(capabilities: AgentCapabilities): string {
  if (capabilities.requiresCallApproval)
    return `Holds all three, so a person approves each of these calls before it runs: ${capabilities.approvalRequiredFor.join(', ')}.`;
  const held = [capabilities.readsUntrustedContent, capabilities.touchesPrivateData, capabilities.changesStateOrTalksOutside].filter(
    Boolean,
  ).length;
  return `Holds ${held} of the three, so its calls run without asking.`;
}
