import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  DuplicateKeyError,
  collectionNamePattern,
  type ChangeEvent,
  type ChangeStream,
  type DocumentCollection,
  type DocumentStore,
  type StoredDocument,
  type WatchOptions,
} from '../../ports/document-store';
import { createSqliteCollection, type SqliteCollectionContext } from './sqlite-collection';
import { SqliteChangeStream, type ChangeRow } from './sqlite-change-stream';

export interface SqliteDocumentStoreOptions {
  /** File path, or `:memory:` for tests. */
  filename: string;
  /** How many change-feed entries to keep for resumption (default 50,000). */
  changeRetention?: number;
  /** Poll interval for writes made by other processes on the same file (default 1,000 ms). */
  crossProcessPollMs?: number;
}

/** ISO 8601 UTC with milliseconds, the format of `Date.prototype.toISOString`. */
const sqlNow = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/**
 * The change feed is written by the schema: each collection table has triggers that append its
 * inserts, updates and deletes to `_changes` within the statement that makes them. So a single
 * insert is one atomic statement (no BEGIN/COMMIT round trips), and a write can never reach a
 * collection without its change. `name` matches `collectionNamePattern`, so it is safe as a literal.
 */
function changeTriggers(name: string): string {
  const table = `"c_${name}"`;
  const append = (operation: string, document: string, before: string) =>
    `INSERT INTO _changes (collection, operation, document_id, document, before, time) VALUES ('${name}', '${operation}', ${operation === 'insert' ? 'NEW' : 'OLD'}.id, ${document}, ${before}, ${sqlNow});`;
  return `
    CREATE TRIGGER IF NOT EXISTS "c_${name}_insert_change" AFTER INSERT ON ${table} BEGIN ${append('insert', 'NEW.doc', 'NULL')} END;
    CREATE TRIGGER IF NOT EXISTS "c_${name}_update_change" AFTER UPDATE ON ${table} BEGIN ${append('update', 'NEW.doc', 'OLD.doc')} END;
    CREATE TRIGGER IF NOT EXISTS "c_${name}_delete_change" AFTER DELETE ON ${table} BEGIN ${append('delete', 'NULL', 'OLD.doc')} END;
  `;
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
      seq INTEGER PRIMARY KEY, collection TEXT NOT NULL, operation TEXT NOT NULL,
      document_id TEXT NOT NULL, document TEXT, before TEXT, time TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS _array_paths (collection TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (collection, path)) WITHOUT ROWID;
  `);
  // Without AUTOINCREMENT (which costs a sqlite_sequence write per change) a new row gets
  // max(seq) + 1, so sequence numbers stay increasing only while the newest row is never
  // pruned: hence at least one change is always retained.
  const retention = Math.max(1, options.changeRetention ?? 50_000);
  const notifier = new EventEmitter();
  notifier.setMaxListeners(0);
  const collections = new Map<string, DocumentCollection>();
  const streams = new Set<SqliteChangeStream>();
  let writesSincePrune = 0;
  let closed = false;

  const pruneChanges = db.prepare('DELETE FROM _changes WHERE seq <= (SELECT max(seq) FROM _changes) - ?');
  const insertArrayPath = db.prepare('INSERT OR IGNORE INTO _array_paths (collection, path) VALUES (?, ?)');
  const selectArrayPaths = db.prepare<[string], { path: string }>('SELECT path FROM _array_paths WHERE collection = ?');
  const maxSeq = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM _changes');
  const minSeq = db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM _changes');

  const announce = () => notifier.emit('change');
  const context: SqliteCollectionContext = {
    db,
    changesCommitted(count) {
      writesSincePrune += count;
      if (writesSincePrune >= 1000) {
        writesSincePrune = 0;
        pruneChanges.run(retention);
      }
    },
    announce,
    rememberArrayPath: (name, path) => insertArrayPath.run(name, path),
    translateConstraint(name, error) {
      if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CONSTRAINT')) {
        const match = /index '([^']+)'/.exec(error.message);
        const index = match?.[1]?.replace(`ix_${name}_`, '') ?? '_id_';
        throw new DuplicateKeyError(name, index);
      }
      throw error;
    },
  };

  /** One collection object per name, so its statements are prepared once for the store's life. */
  function collection<T extends StoredDocument>(name: string): DocumentCollection<T> {
    const existing = collections.get(name);
    if (existing) return existing as unknown as DocumentCollection<T>;
    if (!collectionNamePattern.test(name)) throw new Error(`invalid collection name '${name}'`);
    // Table and triggers together, so no write can ever reach the table before its triggers exist.
    db.transaction(() =>
      db.exec(`CREATE TABLE IF NOT EXISTS "c_${name}" (id TEXT PRIMARY KEY, doc TEXT NOT NULL); ${changeTriggers(name)}`),
    )();
    const arrayPaths = new Set(selectArrayPaths.all(name).map((row) => row.path));
    const created = createSqliteCollection<T>(context, name, arrayPaths);
    collections.set(name, created);
    return created;
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
