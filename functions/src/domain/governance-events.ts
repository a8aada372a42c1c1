import type { AppRecord } from './records';

/**
 * Domain events of governance changes, for the live console: the composition connects
 * `GovernanceEvents` to the workspace event channel. Domain code only publishes; who listens
 * (and whether each listener may see the event) is decided outside.
 */
export const governanceEventTypes = [
  'app.created',
  'version.created',
  'review.requested',
  'review.decided',
  'review.stale',
  'app.published',
  'app.unpublished',
  'app.renamed',
  'app.deleted',
  'app.collaborators_changed',
  'app.visibility_changed',
  'team.created',
  'team.updated',
  'team.deleted',
  'team.members_changed',
  'settings.updated',
  'audit.purged',
] as const;
export type GovernanceEventType = (typeof governanceEventTypes)[number];

export interface GovernanceEvent {
  type: GovernanceEventType;
  workspaceId: string;
  /** The app concerned, when there is one (visibility of the event follows the app's). */
  appId?: string;
  /** The review, team or person concerned. */
  targetId?: string;
  at: string;
  /**
   * The app as it was, for changes that may hide it from someone (unpublish, delete,
   * collaborators, visibility): the live console tells whoever saw it that it changed.
   */
  appBefore?: AppRecord;
}

/** The port governance services publish through. */
export interface GovernanceEvents {
  publish(event: GovernanceEvent): void | Promise<void>;
}

/** The default: nobody listens. */
export const noGovernanceEvents: GovernanceEvents = { publish: () => undefined };

/** Keeps every published event, for tests and for a composition that polls. */
export class RecordingGovernanceEvents implements GovernanceEvents {
  readonly events: GovernanceEvent[] = [];
  publish(event: GovernanceEvent): void {
    this.events.push(event);
  }
}
