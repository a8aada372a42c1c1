import type { Actor } from '../workspace-access';

/** Who did it, in the audit log's one-line summaries: the person's name, else their email. */
export const personName = (actor: Actor): string => actor.identity.name || actor.identity.email;

/** The agents a configuration declares, by id, for a summary. */
export const agentList = (agents: readonly { id: string }[]): string =>
  agents.length === 0 ? 'no agents' : agents.map((agent) => agent.id).join(', ');
