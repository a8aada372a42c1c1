import { encodeHello, encodeRequest } from './hangar-bridge-codec';
import type { BridgePush, BridgeReady, BridgeRequestBody, ConsoleToAppMessage } from './hangar-bridge-protocol';
import { HangarError } from './hangar-error';
import type { HangarTransport } from './hangar-transport';

/** How long a request may wait for its response (including waiting for `ready`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

type Pending = {
  body: BridgeRequestBody;
  resolve: (result: unknown) => void;
  reject: (error: HangarError) => void;
  timer: ReturnType<typeof setTimeout>;
};

const writeOperations = new Set(['insert', 'update', 'remove']);

/**
 * One conversation with the console over a transport: says `hello`, holds requests until `ready`,
 * matches responses to requests by id, times requests out, and hands pushed `changes`,
 * `reload`, `resync` and `agentRun` messages to `onPush`. Responses with an unknown id (late, or never asked) are ignored.
 */
export class BridgeConnection {
  readonly #transport: HangarTransport;
  readonly #timeoutMs: number;
  readonly #pending = new Map<string, Pending>();
  readonly #queued: string[] = [];
  readonly #stopListening: () => void;
  #ready: BridgeReady | null = null;
  #nextId = 0;

  readonly #onReady: (() => void) | undefined;

  constructor(transport: HangarTransport, options: { timeoutMs?: number; onPush: (message: BridgePush) => void; onReady?: () => void }) {
    this.#transport = transport;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#onReady = options.onReady;
    this.#stopListening = transport.listen((message) => this.#receive(message, options.onPush));
    transport.send(encodeHello());
  }

  /** What the console said in `ready` (app, data scope, read-only), or null before it did. */
  get session(): BridgeReady | null {
    return this.#ready;
  }

  /** Sends a request and resolves with its result; rejects with the console's error or `timeout`. */
  request(body: BridgeRequestBody): Promise<unknown> {
    const id = `r${++this.#nextId}`;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.#pending.delete(id)) return;
        const seconds = Math.round(this.#timeoutMs / 100) / 10;
        const about = 'collection' in body ? ` on "${body.collection}"` : '';
        reject(new HangarError('timeout', `The Hangar console did not answer "${body.op}"${about} within ${seconds} s.`));
      }, this.#timeoutMs);
      this.#pending.set(id, { body, resolve, reject, timer });
      if (this.#ready) this.#transport.send(encodeRequest(id, body));
      else this.#queued.push(id);
    });
  }

  /** Stops listening and fails every open request with `unavailable`. */
  close(): void {
    this.#stopListening();
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(new HangarError('unavailable', 'The Hangar client was closed.'));
    }
  }

  #receive(message: ConsoleToAppMessage, onPush: (message: BridgePush) => void): void {
    switch (message.kind) {
      case 'ready':
        this.#ready = message;
        for (const id of this.#queued.splice(0)) {
          const pending = this.#pending.get(id);
          if (pending) this.#transport.send(encodeRequest(id, pending.body));
        }
        this.#onReady?.();
        return;
      case 'response': {
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) pending.resolve(message.result);
        else pending.reject(HangarError.fromBridge(message.error, writeOperations.has(pending.body.op)));
        return;
      }
      default:
        onPush(message);
    }
  }
}
