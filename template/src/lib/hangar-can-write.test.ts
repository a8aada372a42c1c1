import { ConsoleToAppMessage as consoleToApp } from '@hangar/protocol';
import { describe, expect, it, vi } from 'vitest';
import { decodeConsoleMessage } from './hangar-bridge-codec';
import type { AppToConsoleMessage, BridgeRequest, ConsoleToAppMessage } from './hangar-bridge-protocol';
import { HangarClient } from './hangar-client';
import { DetachedConsoleTransport } from './hangar-detached-console';
import type { HangarTransport } from './hangar-transport';

/** A console that records requests and lets the test say `ready`. */
class ScriptedConsole implements HangarTransport {
  readonly sent: AppToConsoleMessage[] = [];
  #handler: ((message: ConsoleToAppMessage) => void) | null = null;
  send(message: AppToConsoleMessage): void {
    this.sent.push(message);
  }
  listen(handler: (message: ConsoleToAppMessage) => void): () => void {
    this.#handler = handler;
    return () => (this.#handler = null);
  }
  ready(fields: Partial<Extract<ConsoleToAppMessage, { kind: 'ready' }>> = {}): void {
    this.#handler?.({ hangar: 1, kind: 'ready', appId: 'app_1', scope: 'published', readOnly: false, ...fields });
  }
  requests(): BridgeRequest[] {
    return this.sent.filter((message): message is BridgeRequest => message.kind === 'request');
  }
}

describe('canWrite: what the person may change, from the access rules the console hands over', () => {
  it('is false until the console has answered, then follows `writable` collection by collection', () => {
    const console = new ScriptedConsole();
    const client = new HangarClient({ transport: console });
    const told = vi.fn();
    client.onSession(told);
    expect(client.canWrite('requests')).toBe(false);
    console.ready({ writable: { all: false, collections: ['requests'] } });
    expect(told).toHaveBeenCalledTimes(1);
    expect(client.canWrite('requests')).toBe(true);
    expect(client.canWrite('announcements')).toBe(false);
  });

  it('refuses a write to a collection it may not change before it shows or reaches the console', async () => {
    const console = new ScriptedConsole();
    const client = new HangarClient({ transport: console });
    console.ready({ writable: { all: false, collections: [] } });
    const view = client.query('announcements');
    const stop = view.subscribe(() => undefined);
    const before = console.requests().length;
    await expect(client.insert('announcements', { title: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(
      console
        .requests()
        .slice(before)
        .filter((request) => request.op === 'insert'),
    ).toEqual([]);
    expect(view.getSnapshot().data).toEqual([]);
    stop();
  });

  it('all, no `writable` (a builder’s draft), read-only, and no console at all', () => {
    const all = new ScriptedConsole();
    const allClient = new HangarClient({ transport: all });
    all.ready({ writable: { all: true, collections: [] } });
    expect(allClient.canWrite('anything')).toBe(true);

    const draft = new ScriptedConsole();
    const draftClient = new HangarClient({ transport: draft });
    draft.ready({ scope: 'draft' });
    expect(draftClient.canWrite('anything')).toBe(true);

    const readOnly = new ScriptedConsole();
    const readOnlyClient = new HangarClient({ transport: readOnly });
    readOnly.ready({ readOnly: true, writable: { all: true, collections: [] } });
    expect(readOnlyClient.canWrite('anything')).toBe(false);

    const detached = new HangarClient({ transport: new DetachedConsoleTransport() });
    expect(detached.canWrite('anything')).toBe(false);
  });

  it('decodes `writable` exactly as the protocol defines it, and refuses a malformed one', () => {
    const valid = {
      hangar: 1,
      kind: 'ready',
      appId: 'app_1',
      scope: 'published',
      readOnly: false,
      writable: { all: false, collections: ['a'] },
    };
    expect(consoleToApp.parse(valid)).toEqual(valid);
    expect(decodeConsoleMessage(valid)).toEqual(valid);
    for (const writable of [{ all: 'yes', collections: [] }, { all: false }, { all: false, collections: [1] }, 'all']) {
      const message = { ...valid, writable };
      expect(consoleToApp.safeParse(message).success).toBe(false);
      expect(decodeConsoleMessage(message)).toBeNull();
    }
  });
});
