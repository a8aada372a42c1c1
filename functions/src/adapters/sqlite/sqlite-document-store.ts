import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Query } from 'mingo';
import {
  DuplicateKeyError,
  collectionNamePattern,
  type ChangeEvent,
  type ChangeStream,
  type DocumentCollection,
  type DocumentStore,
  type Filter,
  type FindOptions,
  type FindPage,
  type IndexSpec,
  type StoredDocument,
  type Update,
  type WatchOptions,
} from '../../ports/document-store';
import { applyUpdate } from '../document-updates';
import { compareDocuments, compareWithPosition, decodeCursor, encodeCursor, normalizeSort, positionOf } from '../document-order';
import { collectArrayPaths, compileFilter, pathExpression } from './sql-filter';
import { SqliteChangeStream, type ChangeRow } from './sqlite-change-stream';

export interface SqliteDocumentStoreOptions {
  /** File path, or `:memory:` for tests. */
  filename: string;
  /** How many change-feed entries to keep for resumption (default 50,000). */
  changeRetention?: number;
  /** Poll interval for writes made by other processes on the same file (default 1,000 ms). */
  crossProcessPollMs?: number;
}

interface CollectionState {
  table: string;
  arrayPaths: Set<string>;
}

const now = () => new Date().toISOString();

/** Runs synchronous SQLite work and reports its result or error as a promise, as the port promises. */
function settle<R>(work: () => R): Promise<R> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** The embedded document store: one SQLite file in WAL mode, Mongo-shaped queries via mingo. */
export function createSqliteDocumentStore(options: SqliteDocumentStoreOptions): DocumentStore {
  if (options.filename !== ':memory:') mkdirSync(dirname(options.filename), { recursive: true });
  const db = new Database(options.filename);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(`
    CREATE TABLE IF NOT EXISTS _changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, collection TEXT NOT NULL, operation TEXT NOT NULL,
      document_id TEXT NOT NULL, document TEXT, before TEXT, time TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS _array_paths (collection TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (collection, path)) WITHOUT ROWID;
  `);
  const retention = options.changeRetention ?? 50_000;
  const notifier = new EventEmitter();
  notifier.setMaxListeners(0);
  const states = new Map<string, CollectionState>();
  const streams = new Set<SqliteChangeStream>();
  let writesSincePrune = 0;
  let closed = false;

  const insertChange = db.prepare(
    'INSERT INTO _changes (collection, operation, document_id, document, before, time) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertArrayPath = db.prepare('INSERT OR IGNORE INTO _array_paths (collection, path) VALUES (?, ?)');
  const maxSeq = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM _changes');
  const minSeq = db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM _changes');

  function stateOf(name: string): CollectionState {
    const existing = states.get(name);
    if (existing) return existing;
    if (!collectionNamePattern.test(name)) throw new Error(`invalid collection name '${name}'`);
    const table = `"c_${name}"`;
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
    const rows = db.prepare<[string], { path: string }>('SELECT path FROM _array_paths WHERE collection = ?').all(name);
    const state = { table, arrayPaths: new Set(rows.map((row) => row.path)) };
    states.set(name, state);
    return state;
  }

  function recordChange(change: Omit<ChangeRow, 'seq' | 'time'>) {
    insertChange.run(change.collection, change.operation, change.document_id, change.document, change.before, now());
    if (++writesSincePrune >= 1000) {
      writesSincePrune = 0;
      db.prepare('DELETE FROM _changes WHERE seq <= (SELECT max(seq) FROM _changes) - ?').run(retention);
    }
  }

  function noteArrays(name: string, state: CollectionState, document: StoredDocument) {
    for (const path of collectArrayPaths(document)) {
      if (!state.arrayPaths.has(path)) {
        state.arrayPaths.add(path);
        insertArrayPath.run(name, path);
      }
    }
  }

  function translateConstraint(name: string, error: unknown): never {
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CONSTRAINT')) {
      const match = /index '([^']+)'/.exec(error.message);
      const index = match?.[1]?.replace(`ix_${name}_`, '') ?? '_id_';
      throw new DuplicateKeyError(name, index);
    }
    throw error;
  }

  const announce = () => notifier.emit('change');

  function collection<T extends StoredDocument>(name: string): DocumentCollection<T> {
    const state = stateOf(name);
    const { table } = state;
    const selectById = db.prepare<[string], { doc: string }>(`SELECT doc FROM ${table} WHERE id = ?`);
    const insertRow = db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?)`);
    const updateRow = db.prepare(`UPDATE ${table} SET doc = ? WHERE id = ?`);
    const deleteRow = db.prepare(`DELETE FROM ${table} WHERE id = ?`);

    /** Yields matching documents in `_id` order (or reverse), exactly filtered. */
    function* scan(filter: Filter, direction: 1 | -1 = 1, afterId?: string): Generator<T> {
      const where = compileFilter(filter, state.arrayPaths);
      const params = [...where.params];
      let sql = `SELECT doc FROM ${table} WHERE ${where.sql}`;
      if (afterId !== undefined) {
        sql += direction === 1 ? ' AND id > ?' : ' AND id < ?';
        params.push(afterId);
      }
      sql += ` ORDER BY id ${direction === 1 ? 'ASC' : 'DESC'}`;
      const query = new Query(filter, {});
      for (const row of db.prepare<unknown[], { doc: string }>(sql).iterate(...params)) {
        const document = JSON.parse(row.doc) as T;
        if (query.test(document)) yield document;
      }
    }

    const first = (filter: Filter): T | null => {
      for (const document of scan(filter)) return document;
      return null;
    };

    /** Writes an update; a no-op update writes nothing and emits no change (as MongoDB does). */
    const writeUpdate = (before: T, update: Update): { document: T; changed: boolean } => {
      const after = applyUpdate(before, update);
      if (JSON.stringify(after) === JSON.stringify(before)) return { document: after, changed: false };
      try {
        updateRow.run(JSON.stringify(after), before._id);
      } catch (error) {
        translateConstraint(name, error);
      }
      noteArrays(name, state, after);
      recordChange({
        collection: name,
        operation: 'update',
        document_id: before._id,
        document: JSON.stringify(after),
        before: JSON.stringify(before),
      });
      return { document: after, changed: true };
    };

    return {
      name,
      insertOne(document) {
        return settle(() => {
          if (typeof document._id !== 'string' || document._id === '') throw new Error('documents need a string _id');
          const stored = JSON.stringify(document);
          db.transaction(() => {
            try {
              insertRow.run(document._id, stored);
            } catch (error) {
              translateConstraint(name, error);
            }
            noteArrays(name, state, document);
            recordChange({ collection: name, operation: 'insert', document_id: document._id, document: stored, before: null });
          })();
          announce();
          return JSON.parse(stored) as T;
        });
      },
      findOne(filter) {
        return settle(() => {
          if (typeof filter._id === 'string' && Object.keys(filter).length === 1) {
            const row = selectById.get(filter._id);
            return row ? (JSON.parse(row.doc) as T) : null;
          }
          return first(filter);
        });
      },
      find(filter, findOptions: FindOptions = {}): Promise<FindPage<T>> {
        return settle(() => {
          const sortKeys = normalizeSort(findOptions.sort);
          const limit = findOptions.limit ?? Number.POSITIVE_INFINITY;
          const position = findOptions.cursor ? decodeCursor(sortKeys, findOptions.cursor) : undefined;
          const items: T[] = [];
          let more = false;
          if (sortKeys.length === 1) {
            // Sorted by _id alone: stream from the primary key and stop early.
            const direction = sortKeys[0]?.[1] ?? 1;
            const afterId = position ? String(position[0]) : undefined;
            for (const document of scan(filter, direction, afterId)) {
              if (items.length >= limit) {
                more = true;
                break;
              }
              items.push(document);
            }
          } else {
            const all = [...scan(filter)]
              .filter((document) => !position || compareWithPosition(sortKeys, document, position) > 0)
              .sort((a, b) => compareDocuments(sortKeys, a, b));
            more = all.length > limit;
            items.push(...all.slice(0, limit));
          }
          const last = items.at(-1);
          return { items, nextCursor: more && last ? encodeCursor(sortKeys, positionOf(sortKeys, last)) : null };
        });
      },
      count(filter) {
        return settle(() => {
          let total = 0;
          for (const _ of scan(filter)) total++;
          return total;
        });
      },
      updateOne(filter, update) {
        return settle(() => {
          const result = db.transaction(() => {
            const before = first(filter);
            return before ? writeUpdate(before, update) : null;
          })();
          if (result?.changed) announce();
          return result ? result.document : null;
        });
      },
      updateMany(filter, update) {
        return settle(() => {
          const changed = db.transaction(() => {
            let count = 0;
            for (const before of [...scan(filter)]) if (writeUpdate(before, update).changed) count++;
            return count;
          })();
          if (changed > 0) announce();
          return changed;
        });
      },
      deleteOne(filter) {
        return settle(() => {
          const removed = db.transaction(() => {
            const before = first(filter);
            if (!before) return null;
            deleteRow.run(before._id);
            recordChange({
              collection: name,
              operation: 'delete',
              document_id: before._id,
              document: null,
              before: JSON.stringify(before),
            });
            return before;
          })();
          if (removed) announce();
          return removed;
        });
      },
      deleteMany(filter) {
        return settle(() => {
          const removed = db.transaction(() => {
            const matches = [...scan(filter)];
            for (const before of matches) {
              deleteRow.run(before._id);
              recordChange({
                collection: name,
                operation: 'delete',
                document_id: before._id,
                document: null,
                before: JSON.stringify(before),
              });
            }
            return matches.length;
          })();
          if (removed > 0) announce();
          return removed;
        });
      },
      createIndex(spec: IndexSpec) {
        return settle(() => {
          const entries = Object.entries(spec.keys);
          const columns = entries.map(([path, direction]) => {
            const expression = pathExpression(path);
            if (!expression) throw new Error(`cannot index path '${path}'`);
            return `${expression} ${direction === -1 ? 'DESC' : 'ASC'}`;
          });
          const indexName = spec.name ?? entries.map(([path, direction]) => `${path}_${direction}`).join('_');
          if (!/^[A-Za-z0-9_.-]+$/.test(indexName)) throw new Error(`invalid index name '${indexName}'`);
          db.exec(
            `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS "ix_${name}_${indexName}" ON ${table} (${columns.join(', ')})`,
          );
        });
      },
    };
  }

  const readChanges = db.prepare<[number, number], ChangeRow>(
    'SELECT seq, collection, operation, document_id, document, before, time FROM _changes WHERE seq > ? ORDER BY seq LIMIT ?',
  );

  const poll = setInterval(announce, options.crossProcessPollMs ?? 1000);
  poll.unref();

  return {
    kind: 'sqlite',
    collection,
    watch(watchOptions: WatchOptions = {}): ChangeStream {
      const start = watchOptions.after !== undefined ? Number(watchOptions.after) : (maxSeq.get()?.seq ?? 0);
      const oldest = minSeq.get()?.seq ?? null;
      const expired =
        watchOptions.after !== undefined && (!Number.isSafeInteger(start) || start < 0 || (oldest !== null && start < oldest - 1));
      const stream = new SqliteChangeStream({
        start,
        expired,
        collections: watchOptions.collections ? new Set(watchOptions.collections) : null,
        read: (after, count) => readChanges.all(after, count),
        notifier,
        onClose: () => streams.delete(stream),
      });
      streams.add(stream);
      return stream;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      await Promise.all([...streams].map((stream) => stream.close()));
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

export type { ChangeEvent };
