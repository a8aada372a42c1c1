import { decodeConsoleMessage } from './hangar-bridge-codec';
import type { AppToConsoleMessage, ConsoleToAppMessage } from './hangar-bridge-protocol';

/**
 * How the SDK reaches the Hangar console. The client speaks the bridge protocol over it; tests
 * pass a fake or an in-memory console (`MemoryConsoleTransport`); an app opened on its own gets
 * `DetachedConsoleTransport`, which says it is disconnected and saves nothing.
 */
export interface HangarTransport {
  /** Posts one message to the console. */
  send(message: AppToConsoleMessage): void;
  /** Delivers every valid message from the console to `handler`; returns a function that stops it. */
  listen(handler: (message: ConsoleToAppMessage) => void): () => void;
  /** Set when no console can ever answer (the app was opened on its own): why, in words for people. */
  readonly disconnected?: string;
}

/** The parts of `window` the bridge uses, so tests can pass a stand-in. */
export type BridgeWindow = {
  parent: { postMessage(message: unknown, targetOrigin: string): void } | null;
  addEventListener(type: 'message', listener: (event: { source: unknown; data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { source: unknown; data: unknown }) => void): void;
};

/**
 * The live transport: postMessage to the console that embeds this app in a sandboxed iframe.
 *
 * Messages go out with target origin `'*'`, which is required — the sandboxed iframe has an opaque
 * origin and cannot name the console's — and safe: they go only to `window.parent`, hold nothing
 * secret (the app has no credentials; it only asks for its own data), and the console checks that
 * each message's source is its own iframe's window before acting on it. Incoming messages are
 * accepted only from `window.parent` and only when they decode as bridge messages.
 */
export class WindowBridgeTransport implements HangarTransport {
  readonly #window: BridgeWindow;

  constructor(target: BridgeWindow) {
    this.#window = target;
  }

  send(message: AppToConsoleMessage): void {
    this.#window.parent?.postMessage(message, '*');
  }

  listen(handler: (message: ConsoleToAppMessage) => void): () => void {
    const listener = (event: { source: unknown; data: unknown }) => {
      if (event.source === null || event.source !== this.#window.parent) return;
      const message = decodeConsoleMessage(event.data);
      if (message) handler(message);
    };
    this.#window.addEventListener('message', listener);
    return () => this.#window.removeEventListener('message', listener);
  }
}

/** True when this page is embedded (by the Hangar console); false when opened on its own. */
export function isEmbedded(target: { parent: unknown } | undefined): boolean {
  return target !== undefined && target.parent !== null && target.parent !== undefined && target.parent !== target;
}
