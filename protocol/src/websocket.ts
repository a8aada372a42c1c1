import { z } from 'zod';

/**
 * WebSocket envelope. Every frame is one JSON object with a `type` in noun.verb form;
 * a client may attach an `id` that the answer echoes.
 */
export const MessageId = z.string().min(1).max(64);

export const PingMessage = z.strictObject({ type: z.literal('session.ping'), id: MessageId.optional() });

/** Everything a client may send. Later issues add `run.subscribe` and `data.subscribe`. */
export const ClientMessage = z.discriminatedUnion('type', [PingMessage]);
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

/** Everything the server may push. */
export const ServerMessage = z.discriminatedUnion('type', [PongMessage, ErrorMessage, NoticeMessage]);
export type ServerMessage = z.infer<typeof ServerMessage>;
