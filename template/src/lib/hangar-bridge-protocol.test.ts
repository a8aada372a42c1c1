import * as protocol from '@hangar/protocol';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { decodeConsoleMessage, encodeHello, encodeRequest } from './hangar-bridge-codec';
import type * as sdk from './hangar-bridge-protocol';
import { WindowBridgeTransport, isEmbedded, type BridgeWindow } from './hangar-transport';

/**
 * The SDK mirrors the bridge wire types because scaffolded apps cannot import `@hangar/protocol`.
 * This test (excluded from scaffolded workspaces) holds the copy to the real zod schemas.
 */

/**
 * The console's schema, as a plain union of its variants: `protocol.ConsoleToAppMessage` is a
 * `discriminatedUnion('kind', …)` with two `response` variants, which zod 4 refuses at parse time
 * ("Duplicate discriminator value"). Same variants, so the same messages are valid.
 */
const consoleToApp = protocol.ConsoleToAppMessage;

describe('bridge protocol mirror', () => {
  it('matches the protocol at type level', () => {
    expectTypeOf<protocol.ConsoleToAppMessage>().toExtend<sdk.ConsoleToAppMessage>();
    expectTypeOf<sdk.BridgeRequest['op']>().toEqualTypeOf<protocol.BridgeRequest['op']>();
    expectTypeOf<sdk.AppToConsoleMessage['kind']>().toEqualTypeOf<protocol.AppToConsoleMessage['kind']>();
    expectTypeOf<sdk.ConsoleToAppMessage['kind']>().toEqualTypeOf<protocol.ConsoleToAppMessage['kind']>();
    expectTypeOf<protocol.DataPage>().toExtend<sdk.BridgeDataPage>();
    expectTypeOf<protocol.DataChange>().toExtend<sdk.BridgeDataChange>();
  });

  it('encodes messages the console’s schema accepts', () => {
    const messages: sdk.AppToConsoleMessage[] = [
      encodeHello(),
      encodeRequest('r1', { op: 'list', collection: 'tasks' }),
      encodeRequest('r2', {
        op: 'list',
        collection: 'tasks',
        query: { filter: { done: false, 'owner.name': { $in: ['Ada'] } }, sort: { priority: -1 }, limit: 50, cursor: undefined },
      }),
      encodeRequest('r3', { op: 'list', collection: 'tasks', query: { cursor: 'abc', limit: 10 } }),
      encodeRequest('r4', { op: 'get', collection: 'tasks', documentId: 'a-1' }),
      encodeRequest('r5', { op: 'insert', collection: 'tasks', data: { _id: crypto.randomUUID(), title: 'x' } }),
      encodeRequest('r6', { op: 'update', collection: 'tasks', documentId: 'a-1', data: { title: 'y' } }),
      encodeRequest('r7', { op: 'remove', collection: 'tasks', documentId: 'a-1' }),
      encodeRequest('r8', { op: 'subscribe', collection: 'tasks' }),
      encodeRequest('r9', { op: 'unsubscribe', collection: 'tasks' }),
      encodeRequest('r10', { op: 'listAgents' }),
      encodeRequest('r11', { op: 'triggerAgent', agentId: 'enricher', input: { company: 'Acme' } }),
      encodeRequest('r12', { op: 'watchAgentRun', agentId: 'enricher' }),
      encodeRequest('r13', { op: 'watchAgentRun', agentId: 'enricher', runId: 'run_1' }),
      encodeRequest('r14', { op: 'unwatchAgentRun', runId: 'run_1' }),
    ];
    for (const message of messages) expect(protocol.AppToConsoleMessage.safeParse(message).error).toBeUndefined();
    expect(encodeRequest('r1', { op: 'list', collection: 'tasks', query: {} })).not.toHaveProperty('query');
  });

  it('decodes every protocol-valid console message as it is', () => {
    const document = { _id: 'a', _createdAt: '2025-01-01T00:00:00.000Z', _updatedAt: '2025-01-01T00:00:00.000Z', title: 'x' };
    const messages = [
      { hangar: 1, kind: 'ready', appId: 'app_1', scope: 'published', readOnly: true },
      { hangar: 1, kind: 'response', id: 'r1', ok: true, result: { items: [document], nextCursor: null } },
      { hangar: 1, kind: 'response', id: 'r2', ok: false, error: { code: 'forbidden', message: 'No.' } },
      {
        hangar: 1,
        kind: 'changes',
        collection: 'tasks',
        changes: [
          { operation: 'insert', documentId: 'a', document, epoch: 'e', seq: 1 },
          { operation: 'delete', documentId: 'a', document: null, epoch: 'e', seq: 2 },
        ],
      },
      { hangar: 1, kind: 'resync', collection: 'tasks' },
      { hangar: 1, kind: 'reload', collection: 'tasks', documentId: 'a-1' },
      { hangar: 1, kind: 'agentRun', run: { runId: 'run_1', agentId: 'enricher', status: 'succeeded', result: 'Done', error: null } },
      {
        hangar: 1,
        kind: 'agentRun',
        run: { runId: 'run_1', agentId: 'enricher', status: 'failed', result: null, error: { code: 'agent_failed', message: 'x' } },
      },
    ];
    for (const message of messages) {
      expect(consoleToApp.parse(message)).toEqual(message);
      expect(decodeConsoleMessage(message)).toEqual(message);
    }
  });

  it('rejects messages that are not bridge messages', () => {
    const invalid: unknown[] = [
      null,
      'hello',
      { type: 'webpackOk' },
      { hangar: 2, kind: 'resync', collection: 'tasks' },
      { hangar: 1, kind: 'request', id: 'r1', op: 'list', collection: 'tasks' },
      { hangar: 1, kind: 'ready', appId: 'a', scope: 'other', readOnly: false },
      { hangar: 1, kind: 'response', id: '', ok: true, result: null },
      { hangar: 1, kind: 'response', id: 'r1', ok: false, error: 'boom' },
      { hangar: 1, kind: 'agentRun', run: { runId: 'run_1', agentId: 'enricher', status: 'done', result: null, error: null } },
      { hangar: 1, kind: 'agentRun', run: { runId: 'run 1', agentId: 'enricher', status: 'running', result: null, error: null } },
      {
        hangar: 1,
        kind: 'changes',
        collection: 'tasks',
        changes: [{ operation: 'update', documentId: 'a', document: null, epoch: 'e', seq: 1 }],
      },
      {
        hangar: 1,
        kind: 'changes',
        collection: 'tasks',
        changes: [{ operation: 'insert', documentId: 'a', document: { _id: 'b' }, epoch: 'e', seq: 1 }],
      },
      { hangar: 1, kind: 'reload', collection: 'tasks' },
    ];
    for (const message of invalid) expect(decodeConsoleMessage(message)).toBeNull();
  });
});

describe('WindowBridgeTransport', () => {
  function fakeWindow() {
    const parent = { postMessage: vi.fn() };
    let listener: ((event: { source: unknown; data: unknown }) => void) | null = null;
    const target: BridgeWindow = {
      parent,
      addEventListener: (_type, added) => (listener = added),
      removeEventListener: (_type, removed) => {
        if (listener === removed) listener = null;
      },
    };
    return { target, parent, dispatch: (source: unknown, data: unknown) => listener?.({ source, data }) };
  }

  it('posts to the parent window with target origin "*"', () => {
    const { target, parent } = fakeWindow();
    new WindowBridgeTransport(target).send(encodeHello());
    expect(parent.postMessage).toHaveBeenCalledWith({ hangar: 1, kind: 'hello' }, '*');
  });

  it('delivers only valid messages from the parent window, until stopped', () => {
    const { target, parent, dispatch } = fakeWindow();
    const handler = vi.fn();
    const stop = new WindowBridgeTransport(target).listen(handler);
    const resync = { hangar: 1, kind: 'resync', collection: 'tasks' };
    dispatch({ postMessage: vi.fn() }, resync); // another window (a nested frame, an opener)
    dispatch(null, resync);
    dispatch(parent, { hangar: 1, kind: 'resync' });
    dispatch(parent, 'not a bridge message');
    expect(handler).not.toHaveBeenCalled();
    dispatch(parent, resync);
    expect(handler).toHaveBeenCalledWith(resync);
    stop();
    dispatch(parent, resync);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('knows when the app is embedded', () => {
    const top: { parent: unknown } = { parent: null };
    top.parent = top;
    expect(isEmbedded(top)).toBe(false);
    expect(isEmbedded({ parent: top })).toBe(true);
    expect(isEmbedded(undefined)).toBe(false);
  });
});
