import { bridgeVersion, type AppToConsoleMessage, type ConsoleToAppMessage } from './hangar-bridge-protocol';
import type { HangarTransport } from './hangar-transport';

/** What the app says when it runs outside the Hangar console (a preview URL opened in its own tab). */
export const DISCONNECTED_MESSAGE =
  'Not connected to Hangar: this page was opened outside the Hangar console, so it shows no data and cannot save changes. Open the app from the console to use it.';

/**
 * The transport of an app opened on its own: there is no console to hold its data, so instead of
 * pretending (an in-memory store that accepts writes and keeps nothing) every request fails with
 * `unavailable` and a message that says why. The client refuses writes before applying them.
 */
export class DetachedConsoleTransport implements HangarTransport {
  readonly disconnected = DISCONNECTED_MESSAGE;
  readonly #handlers = new Set<(message: ConsoleToAppMessage) => void>();

  send(message: AppToConsoleMessage): void {
    // Asynchronous, like real postMessage traffic.
    queueMicrotask(() => {
      if (message.kind === 'hello') {
        this.#emit({ hangar: bridgeVersion, kind: 'ready', appId: 'standalone', scope: 'draft', readOnly: true });
        return;
      }
      const error = { code: 'unavailable', message: DISCONNECTED_MESSAGE };
      this.#emit({ hangar: bridgeVersion, kind: 'response', id: message.id, ok: false, error });
    });
  }

  listen(handler: (message: ConsoleToAppMessage) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  #emit(message: ConsoleToAppMessage): void {
    for (const handler of [...this.#handlers]) handler(message);
  }
}
