import { ConsoleToAppMessage, type BridgeWritable, type DataChange } from '@hangar/protocol';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api-error';
import { BridgeHost, type BridgeDataClient } from './bridge-host';
import type { DataStreamListener } from './data-stream-manager';
import { FakeTimers } from './fake-timers.test-support';

const page = { items: [{ _id: 'd1', _createdAt: 't', _updatedAt: 't', title: 'One' }], nextCursor: null };

function setup(readOnly = false, writable?: BridgeWritable) {
  const posted: unknown[] = [];
  const preview = { postMessage: (message: unknown, origin: string) => posted.push(origin === '*' ? message : { wrongOrigin: origin }) };
  const stranger = { postMessage: vi.fn() };
  const listeners = new Map<string, DataStreamListener>();
  const release = vi.fn();
  const data: BridgeDataClient = {
    listDocuments: vi.fn(() => Promise.resolve(page)),
    getDocument: vi.fn(() => Promise.reject(new ApiError(404, 'not_found', 'Document not found.'))),
    insertDocument: vi.fn((_w, _a, _s, _c, fields: Record<string, unknown>) =>
      Promise.resolve({ _id: 'd2', _createdAt: 't', _updatedAt: 't', ...fields }),
    ),
    updateDocument: vi.fn(() => Promise.resolve(page.items[0]!)),
    removeDocument: vi.fn(() => Promise.resolve(undefined)),
  };
  const timers = new FakeTimers();
  const onWrite = vi.fn();
  const host = new BridgeHost({
    workspaceId: 'w1',
    appId: 'a1',
    scope: 'draft',
    readOnly,
    ...(writable ? { writable } : {}),
    target: () => preview,
    data,
    streams: {
      acquire: (target, listener) => {
        listeners.set(target.collection, listener);
        return release;
      },
    },
    timers,
    onWrite,
  });
  const send = (message: Record<string, unknown>, source: unknown = preview) =>
    host.handleEvent({ source, data: { hangar: 1, ...message } });
  const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { posted, preview, stranger, listeners, release, data, timers, onWrite, host, send, flush };
}

const change = (seq: number): DataChange => ({ operation: 'insert', documentId: `d${seq}`, document: null, epoch: 'e1', seq });

describe('BridgeHost', () => {
  it('answers hello with ready and ignores other windows', () => {
    const { posted, stranger, send } = setup(true);
    send({ kind: 'hello' }, stranger);
    send({ kind: 'hello' }, null);
    expect(posted).toEqual([]);
    send({ kind: 'hello' });
    expect(posted).toEqual([{ hangar: 1, kind: 'ready', appId: 'a1', scope: 'draft', readOnly: true }]);
    expect(stranger.postMessage).not.toHaveBeenCalled();
  });

  it('hands the app what the person may write (the access rules the control plane evaluated) with ready', () => {
    const { posted, send } = setup(false, { all: false, collections: ['requests'] });
    send({ kind: 'hello' });
    expect(posted).toEqual([
      { hangar: 1, kind: 'ready', appId: 'a1', scope: 'draft', readOnly: false, writable: { all: false, collections: ['requests'] } },
    ]);
  });

  it('runs data requests and answers with results or mapped errors', async () => {
    const { posted, data, onWrite, send, flush } = setup();
    send({ kind: 'request', id: 'r1', op: 'list', collection: 'tasks', query: { limit: 10 } });
    send({ kind: 'request', id: 'r2', op: 'get', collection: 'tasks', documentId: 'missing' });
    send({ kind: 'request', id: 'r3', op: 'insert', collection: 'tasks', data: { title: 'Two' } });
    send({ kind: 'request', id: 'r4', op: 'remove', collection: 'tasks', documentId: 'd1' });
    await flush();
    expect(data.listDocuments).toHaveBeenCalledWith('w1', 'a1', 'draft', 'tasks', { limit: 10 });
    expect(posted).toContainEqual({ hangar: 1, kind: 'response', id: 'r1', ok: true, result: page });
    expect(posted).toContainEqual({
      hangar: 1,
      kind: 'response',
      id: 'r2',
      ok: false,
      error: { code: 'not_found', message: 'Document not found.' },
    });
    expect(posted).toContainEqual({
      hangar: 1,
      kind: 'response',
      id: 'r3',
      ok: true,
      result: { _id: 'd2', _createdAt: 't', _updatedAt: 't', title: 'Two' },
    });
    expect(posted).toContainEqual({ hangar: 1, kind: 'response', id: 'r4', ok: true, result: null });
    expect(onWrite).toHaveBeenCalledTimes(2);
    for (const message of posted) expect(ConsoleToAppMessage.safeParse(message).success).toBe(true);
  });

  it('refuses writes from a read-only preview without calling the API', async () => {
    const { posted, data, send, flush } = setup(true);
    send({ kind: 'request', id: 'w', op: 'update', collection: 'tasks', documentId: 'd1', data: { done: true } });
    await flush();
    expect(data.updateDocument).not.toHaveBeenCalled();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ id: 'w', ok: false, error: { code: 'forbidden' } });
  });

  it('subscribes once per collection, batches live changes and forwards resyncs', async () => {
    const { posted, listeners, release, timers, send, flush } = setup();
    send({ kind: 'request', id: 's1', op: 'subscribe', collection: 'tasks' });
    send({ kind: 'request', id: 's2', op: 'subscribe', collection: 'tasks' });
    const listener = listeners.get('tasks')!;
    listener({ type: 'subscribed' });
    await flush();
    expect(posted.filter((message) => (message as { ok?: boolean }).ok === true)).toHaveLength(2);
    posted.length = 0;
    for (let seq = 1; seq <= 3; seq += 1) listener({ type: 'change', change: change(seq) });
    timers.advance(0);
    expect(posted).toEqual([{ hangar: 1, kind: 'changes', collection: 'tasks', changes: [change(1), change(2), change(3)] }]);
    listener({ type: 'change', change: change(4) });
    listener({ type: 'resync' });
    timers.advance(100);
    expect(posted.at(-1)).toEqual({ hangar: 1, kind: 'resync', collection: 'tasks' });
    expect(posted).toHaveLength(2);
    for (const message of posted) expect(ConsoleToAppMessage.safeParse(message).success).toBe(true);
    send({ kind: 'request', id: 'u1', op: 'unsubscribe', collection: 'tasks' });
    expect(release).not.toHaveBeenCalled();
    send({ kind: 'request', id: 'u2', op: 'unsubscribe', collection: 'tasks' });
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('forwards a reload notice after the changes buffered before it', async () => {
    const { posted, listeners, send, flush } = setup();
    send({ kind: 'request', id: 's1', op: 'subscribe', collection: 'tasks' });
    const listener = listeners.get('tasks')!;
    listener({ type: 'subscribed' });
    await flush();
    posted.length = 0;
    listener({ type: 'change', change: change(1) });
    listener({ type: 'reload', change: { operation: 'update', documentId: 'big', epoch: 'e', seq: 2 } });
    expect(posted).toEqual([
      { hangar: 1, kind: 'changes', collection: 'tasks', changes: [change(1)] },
      { hangar: 1, kind: 'reload', collection: 'tasks', documentId: 'big' },
    ]);
    for (const message of posted) expect(ConsoleToAppMessage.safeParse(message).success).toBe(true);
  });

  it('drops a live subscription the server ends and tells the app to reload, so it shows the refusal instead of stale data', async () => {
    const { posted, listeners, release, send, flush } = setup();
    send({ kind: 'request', id: 's1', op: 'subscribe', collection: 'tasks' });
    const listener = listeners.get('tasks')!;
    listener({ type: 'subscribed' });
    await flush();
    posted.length = 0;
    listener({ type: 'error', code: 'forbidden', message: 'Your access to this app was removed.' });
    expect(release).toHaveBeenCalledTimes(1);
    expect(posted).toEqual([{ hangar: 1, kind: 'resync', collection: 'tasks' }]);
  });

  it('answers a refused subscription with the error and releases everything on a new hello', async () => {
    const { posted, listeners, release, send, flush } = setup();
    send({ kind: 'request', id: 's1', op: 'subscribe', collection: 'secret' });
    listeners.get('secret')!({ type: 'error', code: 'forbidden', message: 'No access.' });
    await flush();
    expect(posted).toEqual([{ hangar: 1, kind: 'response', id: 's1', ok: false, error: { code: 'forbidden', message: 'No access.' } }]);
    send({ kind: 'request', id: 's2', op: 'subscribe', collection: 'tasks' });
    send({ kind: 'hello' });
    expect(release).toHaveBeenCalledTimes(2);
  });
});
