import { agentsFilePath } from '@hangar/protocol';
import { HangarError, ValidationError } from '../errors';
import type { PublishedAgents } from '../governance-context';
import type { AgentConfigService } from './agent-config-service';
import type { ScheduleService } from './schedule-service';

/**
 * Publishing's view of app agents: a version whose agents.json declares agents publishes only
 * when that exact configuration (its canonical hash) was approved by an admin or owner; the
 * hash goes on the app record, published runs use it, and the schedules follow it.
 */
export function createPublishedAgents(config: AgentConfigService, schedules: ScheduleService): PublishedAgents {
  return {
    async approvedHashOf(version) {
      const draft = await config.draftOf(version);
      if (draft.text === null) return null;
      if (!draft.document || !draft.hash || !draft.validation.valid)
        throw new ValidationError(
          `${agentsFilePath} of version ${version.number} has validation errors; fix them before publishing.`,
          draft.validation.errors,
        );
      if (draft.document.agents.length === 0) return null;
      if (!(await config.approvedDocument(version.workspaceId, version.appId, draft.hash)))
        throw new HangarError(
          409,
          'conflict',
          `The agents of version ${version.number} are not approved at their current hash; an admin or owner approves them on the Agents page before publishing.`,
          { details: { agentsHash: draft.hash } },
        );
      return draft.hash;
    },
    async published(actor, workspaceId, appId, hash) {
      const document = hash ? await config.approvedDocument(workspaceId, appId, hash) : null;
      await schedules.sync(actor, workspaceId, appId, document);
    },
    withdrawn(actor, workspaceId, appId, reason) {
      return schedules.removeAll(actor, workspaceId, appId, reason);
    },
  };
}
