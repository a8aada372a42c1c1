import { AppToConsoleMessage, bridgeVersion, type ConsoleToAppMessage } from '@hangar/protocol';
import { ApiError } from '../../lib/api-error';

/** The only thing the console needs of the preview's window: somewhere to post. */
export type PostTarget = { postMessage: (message: unknown, targetOrigin: string) => void };

/** The parts of a `MessageEvent` the bridge looks at, so the logic runs without a DOM. */
export type IncomingMessage = { source: unknown; data: unknown };

/**
 * An app's message, or null when it must be ignored: it did not come from the preview's own
 * window (`expected`, the iframe's `contentWindow`), or it is not a valid bridge message.
 * The origin is not checked because a sandboxed iframe without `allow-same-origin` has the
 * opaque origin "null"; identity of the source window is what authenticates the sender.
 */
export function acceptAppMessage(event: IncomingMessage, expected: unknown): AppToConsoleMessage | null {
  if (expected === null || expected === undefined || event.source !== expected) return null;
  const parsed = AppToConsoleMessage.safeParse(event.data);
  return parsed.success ? parsed.data : null;
}

/** The message without its version tag, which `postToApp` adds. */
export type ConsoleMessageBody = ConsoleToAppMessage extends infer Message
  ? Message extends { hangar: number }
    ? Omit<Message, 'hangar'>
    : never
  : never;

/**
 * Posts into the app. Only ever called with the preview iframe's own `contentWindow`, never a
 * broadcast: targetOrigin must be '*' because the sandboxed document's origin is the opaque
 * "null", which cannot be named; the message still reaches only that exact window object.
 */
export function postToApp(target: PostTarget | null | undefined, message: ConsoleMessageBody): boolean {
  if (!target) return false;
  target.postMessage({ hangar: bridgeVersion, ...message }, '*');
  return true;
}

/** A failed data call as the bridge reports it: a stable code and a message safe to show. */
export function toBridgeError(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof BridgeFailure) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message || 'Something went wrong.' };
  return { code: 'internal', message: 'Something went wrong.' };
}

/** A refusal decided by the console itself, e.g. a write from a read-only preview. */
export class BridgeFailure extends Error {
  override readonly name = 'BridgeFailure';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
