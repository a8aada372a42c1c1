import { describe, expect, it } from 'vitest';
import { describeRunEventLogContract } from '../ports/run-event-log.contract';
import { createDocumentRunEventLog } from './document-run-event-log';
import { createSqliteDocumentStore } from './sqlite/sqlite-document-store';

describeRunEventLogContract('document store (SQLite)', async () => {
  const store = createSqliteDocumentStore({ filename: ':memory:' });
  const log = createDocumentRunEventLog(store);
  await log.ensureIndexes();
  return {
    log,
    cleanup: async () => {
      await log.close();
      await store.close();
    },
  };
});

describe('document run event log', () => {
  it('continues numbering after a restart (a new log over the same store)', async () => {
    const store = createSqliteDocumentStore({ filename: ':memory:' });
    const first = createDocumentRunEventLog(store);
    await first.append('run_a', { type: 'text.delta', text: 'one' });
    const second = createDocumentRunEventLog(store);
    const appended = await second.append('run_a', { type: 'text.delta', text: 'two' });
    expect(appended.id).toBe('000000000002');
    expect((await second.read('run_a')).map((event) => event.event)).toEqual([
      { type: 'text.delta', text: 'one' },
      { type: 'text.delta', text: 'two' },
    ]);
    await store.close();
  });
});
