import type Database from 'better-sqlite3';
import { Query } from 'mingo';
import type { DocumentCollection, Filter, FindOptions, FindPage, IndexSpec, StoredDocument, Update } from '../../ports/document-store';
import { applyUpdate } from '../document-updates';
import { compareDocuments, compareWithPosition, decodeCursor, encodeCursor, normalizeSort, positionOf } from '../document-order';
import { compileFilter, pathExpression, unseenArrayPaths, type SqlValue } from './sql-filter';

/** What a collection shares with its store: the connection and the change feed. */
export interface SqliteCollectionContext {
  db: Database.Database;
  /**
   * Told after a commit how many changes it appended (the collection table's triggers write the
   * change-feed rows in the same statements), so the store can prune the feed now and then.
   */
  changesCommitted(count: number): void;
  /** Wakes change streams after a commit. */
  announce(): void;
  /** Remembers that `path` held an array in collection `name` (persisted). */
  rememberArrayPath(name: string, path: string): void;
  /** Maps a SQLite constraint error to `DuplicateKeyError`; rethrows anything else. */
  translateConstraint(name: string, error: unknown): never;
}

/** Most distinct query shapes a collection keeps prepared (filters with the same shape share one). */
const maxPreparedQueries = 64;

/** Runs synchronous SQLite work and reports its result or error as a promise, as the port promises. */
function settle<R>(work: () => R): Promise<R> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * One collection: a table `c_<name>` of (id, doc JSON). Every statement it runs is prepared once
 * (query shapes in a small LRU), the table's triggers append every write's change-feed row in the
 * same statement, and counts of exactly compiled filters run in SQL without parsing a row.
 */
export function createSqliteCollection<T extends StoredDocument>(
  context: SqliteCollectionContext,
  name: string,
  arrayPaths: Set<string>,
): DocumentCollection<T> {
  const { db } = context;
  const table = `"c_${name}"`;
  const selectById = db.prepare<[string], { doc: string }>(`SELECT doc FROM ${table} WHERE id = ?`);
  const insertRow = db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?)`);
  const updateRow = db.prepare(`UPDATE ${table} SET doc = ? WHERE id = ?`);
  const deleteRow = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  const countAll = db.prepare<[], { total: number }>(`SELECT count(*) AS total FROM ${table}`);
  const prepared = new Map<string, Database.Statement<SqlValue[]>>();

  /** A statement for `sql`, prepared on first use and kept while it is among the recent shapes. */
  function statement(sql: string): Database.Statement<SqlValue[]> {
    let found = prepared.get(sql);
    if (found) {
      prepared.delete(sql);
    } else {
      found = db.prepare<SqlValue[]>(sql);
      if (prepared.size >= maxPreparedQueries) prepared.delete(prepared.keys().next().value ?? '');
    }
    prepared.set(sql, found);
    return found;
  }

  /** Records new array paths, inside the transaction of the write that brought them. */
  function rememberArrays(paths: readonly string[]) {
    for (const path of paths) {
      arrayPaths.add(path);
      context.rememberArrayPath(name, path);
    }
  }

  function noteArrays(document: StoredDocument) {
    const unseen = unseenArrayPaths(document, arrayPaths);
    if (unseen) rememberArrays(unseen);
  }

  /** Yields matching documents in `_id` order (or reverse), exactly filtered. */
  function* scan(filter: Filter, direction: 1 | -1 = 1, afterId?: string): Generator<T> {
    const where = compileFilter(filter, arrayPaths);
    const params = [...where.params];
    let sql = `SELECT doc FROM ${table} WHERE ${where.sql}`;
    if (afterId !== undefined) {
      sql += direction === 1 ? ' AND id > ?' : ' AND id < ?';
      params.push(afterId);
    }
    sql += ` ORDER BY id ${direction === 1 ? 'ASC' : 'DESC'}`;
    const query = where.exact ? null : new Query(filter, {});
    for (const row of statement(sql).iterate(...params) as IterableIterator<{ doc: string }>) {
      const document = JSON.parse(row.doc) as T;
      if (!query || query.test(document)) yield document;
    }
  }

  const first = (filter: Filter): T | null => {
    for (const document of scan(filter)) return document;
    return null;
  };

  function storedText(document: T): string {
    if (typeof document._id !== 'string' || document._id === '') throw new Error('documents need a string _id');
    return JSON.stringify(document);
  }
  /** Inserts one row; its trigger appends the change in the same statement. */
  function insertRowOrThrow(id: string, stored: string) {
    try {
      insertRow.run(id, stored);
    } catch (error) {
      context.translateConstraint(name, error);
    }
  }
  /** Inserts inside the caller's transaction. */
  function insertInTransaction(document: T): string {
    const stored = storedText(document);
    insertRowOrThrow(document._id, stored);
    noteArrays(document);
    return stored;
  }
  /** A document with an array at a path not seen before also writes that path: both in one transaction. */
  const insertWithNewArraysTransaction = db.transaction((document: T, stored: string, unseen: readonly string[]) => {
    insertRowOrThrow(document._id, stored);
    rememberArrays(unseen);
  });
  const insertManyTransaction = db.transaction((documents: readonly T[]) => documents.map((document) => insertInTransaction(document)));

  /** Writes an update; a no-op update writes nothing and emits no change (as MongoDB does). */
  const writeUpdate = (before: T, update: Update): { document: T; changed: boolean } => {
    const after = applyUpdate(before, update);
    const afterText = JSON.stringify(after);
    const beforeText = JSON.stringify(before);
    if (afterText === beforeText) return { document: after, changed: false };
    try {
      updateRow.run(afterText, before._id);
    } catch (error) {
      context.translateConstraint(name, error);
    }
    noteArrays(after);
    return { document: after, changed: true };
  };
  const updateOneTransaction = db.transaction((filter: Filter, update: Update) => {
    const before = first(filter);
    return before ? writeUpdate(before, update) : null;
  });
  const updateManyTransaction = db.transaction((filter: Filter, update: Update) => {
    let count = 0;
    for (const before of [...scan(filter)]) if (writeUpdate(before, update).changed) count++;
    return count;
  });
  const remove = (before: T) => deleteRow.run(before._id);
  const deleteOneTransaction = db.transaction((filter: Filter) => {
    const before = first(filter);
    if (before) remove(before);
    return before;
  });
  const deleteManyTransaction = db.transaction((filter: Filter) => {
    const matches = [...scan(filter)];
    for (const before of matches) remove(before);
    return matches.length;
  });

  return {
    name,
    insertOne(document) {
      return settle(() => {
        const stored = storedText(document);
        // One INSERT is atomic with the change its trigger appends, so it needs no explicit
        // transaction unless the document also brings array paths to remember.
        const unseen = unseenArrayPaths(document, arrayPaths);
        if (unseen) insertWithNewArraysTransaction(document, stored, unseen);
        else insertRowOrThrow(document._id, stored);
        context.changesCommitted(1);
        context.announce();
        return JSON.parse(stored) as T;
      });
    },
    insertMany(documents) {
      return settle(() => {
        if (documents.length === 0) return [];
        const stored = insertManyTransaction(documents);
        context.changesCommitted(stored.length);
        context.announce();
        return stored.map((text) => JSON.parse(text) as T);
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
        const where = compileFilter(filter, arrayPaths);
        if (where.exact) {
          if (where.sql === '1') return countAll.get()?.total ?? 0;
          const row = statement(`SELECT count(*) AS total FROM ${table} WHERE ${where.sql}`).get(...where.params) as { total: number };
          return row.total;
        }
        let total = 0;
        for (const _ of scan(filter)) total++;
        return total;
      });
    },
    updateOne(filter, update) {
      return settle(() => {
        const result = updateOneTransaction(filter, update);
        if (result?.changed) {
          context.changesCommitted(1);
          context.announce();
        }
        return result ? result.document : null;
      });
    },
    updateMany(filter, update) {
      return settle(() => {
        const changed = updateManyTransaction(filter, update);
        if (changed > 0) {
          context.changesCommitted(changed);
          context.announce();
        }
        return changed;
      });
    },
    deleteOne(filter) {
      return settle(() => {
        const removed = deleteOneTransaction(filter);
        if (removed) {
          context.changesCommitted(1);
          context.announce();
        }
        return removed;
      });
    },
    deleteMany(filter) {
      return settle(() => {
        const removed = deleteManyTransaction(filter);
        if (removed > 0) {
          context.changesCommitted(removed);
          context.announce();
        }
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
        // SQLite re-prepares statements after a schema change, so cached queries pick up the index.
        db.exec(`CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS "ix_${name}_${indexName}" ON ${table} (${columns.join(', ')})`);
      });
    },
  };
}
