import { z } from 'zod';
import { Id } from './common';
import { RunEvent } from './run';

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

/** Everything a client may send. The live-data issue adds `data.subscribe`. */
export const ClientMessage = z.discriminatedUnion('type', [PingMessage, RunSubscribeMessage, RunUnsubscribeMessage]);
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
export const ServerMessage = z.discriminatedUnion('type', [
  PongMessage,
  ErrorMessage,
  NoticeMessage,
  RunEventMessage,
  RunSubscribedMessage,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
