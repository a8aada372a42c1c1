import { describe, expect, it, vi } from 'vitest';
import { HangarClient } from './hangar-client';
import { DISCONNECTED_MESSAGE, DetachedConsoleTransport } from './hangar-detached-console';

/** Resolves once `read()` passes `done`, checked after every listener call (no sleeps). */
function until<S>(subscribe: (listener: () => void) => () => void, read: () => S, done: (snapshot: S) => boolean): Promise<S> {
  return new Promise((resolve) => {
    const check = () => {
      const snapshot = read();
      if (done(snapshot)) {
        stop();
        resolve(snapshot);
      }
    };
    const stop = subscribe(check);
    check();
  });
}

describe('an app opened outside the console (DetachedConsoleTransport)', () => {
  it('says it is disconnected as the error of every query and document, instead of showing an empty store', async () => {
    const client = new HangarClient({ transport: new DetachedConsoleTransport() });
    expect(client.disconnected).toBe(DISCONNECTED_MESSAGE);
    const query = client.query('leads');
    const snapshot = await until(query.subscribe, query.getSnapshot, (current) => !current.loading);
    expect(snapshot.error).toMatchObject({ code: 'unavailable', message: DISCONNECTED_MESSAGE });
    expect(snapshot.data).toEqual([]);
    const doc = client.doc('leads', 'lead-1');
    expect((await until(doc.subscribe, doc.getSnapshot, (current) => !current.loading)).error).toMatchObject({ code: 'unavailable' });
  });

  it('refuses every write with a clear message before showing it, so nothing seems saved', async () => {
    const transport = new DetachedConsoleTransport();
    const sent = vi.spyOn(transport, 'send');
    const client = new HangarClient({ transport });
    const query = client.query('leads');
    const listener = vi.fn();
    query.subscribe(listener);
    await expect(client.insert('leads', { name: 'Ada' })).rejects.toMatchObject({
      code: 'unavailable',
      message: /Not connected to Hangar/,
    });
    await expect(client.update('leads', 'lead-1', { name: 'Grace' })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(client.remove('leads', 'lead-1')).rejects.toMatchObject({ code: 'unavailable' });
    expect(query.getSnapshot().data).toEqual([]);
    expect(query.getSnapshot().hasPendingWrites).toBe(false);
    const ops = sent.mock.calls.map(([message]) => (message.kind === 'request' ? message.op : message.kind));
    expect(ops).not.toContain('insert');
    expect(ops).not.toContain('update');
    expect(ops).not.toContain('remove');
  });
});
