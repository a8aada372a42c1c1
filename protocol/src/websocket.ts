import { z } from 'zod';
import { Id } from './common';
import { RunEvent } from './run';
import { CollectionName, DataChange, DataChangeNotice, DataScope } from './data';

/**
 * WebSocket envelope. Every frame is one JSON object with a `type` in noun.verb form;
 * a client may attach an `id` that the answer echoes.
 */
export const MessageId = z.string().min(1).max(64);

export const PingMessage = z.strictObject({ type: z.literal('session.ping'), id: MessageId.optional() });

/** Follow a run: the backlog after `after` (an event id), then live events. */
export const RunSubscribeMessage = z.strictObject({
  type: z.literal('run.subscribe'),
  id: MessageId.optional(),
  workspaceId: Id,
  runId: Id,
  after: z.string().max(64).optional(),
});
export const RunUnsubscribeMessage = z.strictObject({ type: z.literal('run.unsubscribe'), id: MessageId.optional(), runId: Id });

/** Follow one collection of one app's data scope; authorized once, here. */
export const DataSubscribeMessage = z.strictObject({
  type: z.literal('data.subscribe'),
  id: MessageId.optional(),
  workspaceId: Id,
  appId: Id,
  scope: DataScope,
  collection: CollectionName,
});
export const DataUnsubscribeMessage = z.strictObject({
  type: z.literal('data.unsubscribe'),
  id: MessageId.optional(),
  appId: Id,
  scope: DataScope,
  collection: CollectionName,
});

/**
 * Follow a workspace's changes (the live console): members, apps, versions, reviews, publishing,
 * teams. Members only; each event is then authorized for the person it goes to.
 */
export const WorkspaceSubscribeMessage = z.strictObject({ type: z.literal('workspace.subscribe'), id: MessageId.optional(), workspaceId: Id });
export const WorkspaceUnsubscribeMessage = z.strictObject({
  type: z.literal('workspace.unsubscribe'),
  id: MessageId.optional(),
  workspaceId: Id,
});

/** Everything a client may send. */
export const ClientMessage = z.discriminatedUnion('type', [
  PingMessage,
  RunSubscribeMessage,
  RunUnsubscribeMessage,
  DataSubscribeMessage,
  DataUnsubscribeMessage,
  WorkspaceSubscribeMessage,
  WorkspaceUnsubscribeMessage,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const PongMessage = z.strictObject({
  type: z.literal('session.pong'),
  id: MessageId.optional(),
  connectionId: z.string(),
  identityId: z.string(),
  time: z.string(),
});

export const ErrorMessage = z.strictObject({
  type: z.literal('session.error'),
  id: MessageId.optional(),
  code: z.string(),
  message: z.string(),
});

/** A notice pushed by the server, e.g. that a membership changed. */
export const NoticeMessage = z.strictObject({
  type: z.literal('session.notice'),
  message: z.string(),
});

/** One run event, in order; `event.id` is what a reconnecting client sends as `after`. */
export const RunEventMessage = z.strictObject({ type: z.literal('run.event'), runId: Id, event: RunEvent });
/** The subscription is authorized and the backlog follows. */
export const RunSubscribedMessage = z.strictObject({ type: z.literal('run.subscribed'), id: MessageId.optional(), runId: Id });

/** Everything the server may push. */
/** The data subscription is live from this epoch and sequence number on. */
export const DataSubscribedMessage = z.strictObject({
  type: z.literal('data.subscribed'),
  id: MessageId.optional(),
  appId: Id,
  scope: DataScope,
  collection: CollectionName,
  epoch: z.string(),
  seq: z.number().int().nonnegative(),
});
/** One change to a subscribed collection. */
export const DataChangedMessage = z.strictObject({
  type: z.literal('data.changed'),
  appId: Id,
  scope: DataScope,
  collection: CollectionName,
  change: DataChange,
});

/**
 * Several changes to one subscribed collection, in order. The relay sends these when changes
 * arrive faster than pushes to a connection complete; `seq` still increases by one per change.
 */
export const DataChangesMessage = z.strictObject({
  type: z.literal('data.changes'),
  appId: Id,
  scope: DataScope,
  collection: CollectionName,
  changes: z.array(DataChange).min(1).max(500),
});

/**
 * A change whose frame would exceed the server's frame limit (`limits.maxServerFrameBytes`,
 * API Gateway's 32 KB WebSocket frame): it happened and takes its place in the sequence, but
 * its document is not carried. The client reads the document through the normal read path.
 */
export const DataReloadMessage = z.strictObject({
  type: z.literal('data.reload'),
  appId: Id,
  scope: DataScope,
  collection: CollectionName,
  change: DataChangeNotice,
});
/** What changed in a workspace, as the live console hears of it. */
export const workspaceEventKinds = [
  'member.added',
  'member.role_changed',
  'member.removed',
  'app.created',
  'app.renamed',
  'app.deleted',
  'app.published',
  'app.unpublished',
  'app.collaborators_changed',
  'app.visibility_changed',
  'version.created',
  'review.requested',
  'review.decided',
  'review.stale',
  'team.created',
  'team.updated',
  'team.deleted',
  'team.members_changed',
  'settings.updated',
  'audit.purged',
] as const;
export const WorkspaceEventKind = z.enum(workspaceEventKinds);
export type WorkspaceEventKind = z.infer<typeof WorkspaceEventKind>;

/**
 * One workspace change: only what a console needs to know which of its data to fetch again
 * (kind and ids), never names or contents. `targetId` is the person, version, review or team.
 */
export const WorkspaceEvent = z.strictObject({
  kind: WorkspaceEventKind,
  appId: Id.optional(),
  targetId: Id.optional(),
  at: z.string().max(64),
});
export type WorkspaceEvent = z.infer<typeof WorkspaceEvent>;

/** The workspace channel is live: events follow. */
export const WorkspaceSubscribedMessage = z.strictObject({ type: z.literal('workspace.subscribed'), id: MessageId.optional(), workspaceId: Id });
export const WorkspaceEventMessage = z.strictObject({ type: z.literal('workspace.event'), workspaceId: Id, event: WorkspaceEvent });

/** Which subscription a `subscription.revoked` ends. */
export const RevokedSubscription = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('data'), appId: Id, scope: DataScope, collection: CollectionName }),
  z.strictObject({ kind: z.literal('run'), runId: Id }),
  z.strictObject({ kind: z.literal('workspace'), workspaceId: Id }),
]);
export type RevokedSubscription = z.infer<typeof RevokedSubscription>;

/**
 * Access was rechecked after a membership, role or app access change and this subscription is
 * no longer allowed: nothing more is sent for it. Subscribing again answers the usual refusal.
 */
export const SubscriptionRevokedMessage = z.strictObject({
  type: z.literal('subscription.revoked'),
  subscription: RevokedSubscription,
  reason: z.string(),
});

export const ServerMessage = z.discriminatedUnion('type', [
  PongMessage,
  ErrorMessage,
  NoticeMessage,
  RunEventMessage,
  RunSubscribedMessage,
  DataSubscribedMessage,
  DataChangedMessage,
  DataChangesMessage,
  DataReloadMessage,
  WorkspaceSubscribedMessage,
  WorkspaceEventMessage,
  SubscriptionRevokedMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
