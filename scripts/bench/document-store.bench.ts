import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteDocumentStore } from '../../functions/src/adapters/sqlite/sqlite-document-store';
import type { Bench } from './bench-report';
import { format, median, perSecond, printTable, repeat, sample } from './measure';

const documents = Number(process.env.BENCH_DOCUMENTS ?? 50_000);
const teams = 1000;
const insertsPerRepetition = 2000;
const blockSize = 200;
const batchSize = 100;
const row = (i: number) => ({
  _id: `doc_${String(i).padStart(8, '0')}`,
  workspaceId: `wsp_${i % 10}`,
  team: `team_${i % teams}`,
  score: i % 1000,
  title: `Item ${i}`,
  tags: i % 3 === 0 ? ['red', 'blue'] : ['green'],
});

/** Milliseconds for `count` calls of `work`, timed as one block. */
async function elapsed(count: number, work: (index: number) => unknown): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < count; index++) await work(index);
  return performance.now() - started;
}

/**
 * The SQLite document store against raw better-sqlite3 (same JSON, same kind of table, WAL,
 * synchronous=NORMAL), insert by insert and in batches that share a transaction; then its
 * queries against themselves without indexes.
 */
export const documentStoreBench: Bench = {
  name: 'store',
  async run(figures) {
    const dir = mkdtempSync(join(tmpdir(), 'hangar-bench-'));
    try {
      const raw = new Database(join(dir, 'raw.db'));
      raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
      raw.exec('CREATE TABLE ti (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
      raw.exec(`CREATE INDEX ti_workspace_team ON ti (json_extract(doc, '$."workspaceId"'), json_extract(doc, '$."team"'))`);
      const insertRaw = raw.prepare('INSERT INTO t (id, doc) VALUES (?, ?)');
      const insertRawIndexed = raw.prepare('INSERT INTO ti (id, doc) VALUES (?, ?)');
      const insertRawBatch = raw.transaction((rows: ReturnType<typeof row>[]) => {
        for (const each of rows) insertRaw.run(each._id, JSON.stringify(each));
      });
      const store = createSqliteDocumentStore({ filename: join(dir, 'hangar.db') });
      const inserts = store.collection('inserts');
      const indexed = store.collection('indexed');
      const batched = store.collection('batched');
      await indexed.createIndex({ keys: { workspaceId: 1, team: 1 } });

      // Interleaved blocks (raw, store, raw, store, ...) so that load from other processes on a
      // shared machine hits both sides alike; each repetition's ratio is one sample.
      let next = 0;
      const paired = async (
        rawInsert: (document: ReturnType<typeof row>) => unknown,
        storeInsert: (document: ReturnType<typeof row>) => unknown,
      ) => {
        let rawMs = 0;
        let storeMs = 0;
        for (let round = 0; round < insertsPerRepetition / blockSize; round++) {
          const base = next;
          next += blockSize;
          rawMs += await elapsed(blockSize, (i) => rawInsert(row(base + i)));
          storeMs += await elapsed(blockSize, (i) => storeInsert(row(base + i)));
        }
        return { rawOps: insertsPerRepetition / (rawMs / 1000), storeOps: insertsPerRepetition / (storeMs / 1000) };
      };
      const single = await repeat({ warmups: 1, repetitions: 5 }, () =>
        paired(
          (document) => insertRaw.run(document._id, JSON.stringify(document)),
          (document) => inserts.insertOne(document),
        ),
      );
      const singleIndexed = await repeat({ warmups: 1, repetitions: 5 }, () =>
        paired(
          (document) => insertRawIndexed.run(document._id, JSON.stringify(document)),
          (document) => indexed.insertOne(document),
        ),
      );
      let nextBatch = 1e7;
      const batches = await repeat({ warmups: 1, repetitions: 5 }, async () => {
        const base = nextBatch;
        nextBatch += insertsPerRepetition;
        const chunk = (i: number) => Array.from({ length: batchSize }, (_, k) => row(base + i * batchSize + k));
        let rawMs = 0;
        let storeMs = 0;
        for (let i = 0; i < insertsPerRepetition / batchSize; i++) {
          const rows = chunk(i);
          // Both sides get ready-made rows: building the store's copies is not part of its insert.
          const storeRows = rows.map((each) => ({ ...each, _id: `b${each._id}` }));
          rawMs += await elapsed(1, () => insertRawBatch(rows));
          storeMs += await elapsed(1, () => batched.insertMany(storeRows));
        }
        return { rawOps: insertsPerRepetition / (rawMs / 1000), storeOps: insertsPerRepetition / (storeMs / 1000) };
      });
      raw.close();

      figures.record({
        name: 'store.raw_sqlite_insert_ops_per_s',
        unit: 'ops/s',
        description: 'raw better-sqlite3: one prepared INSERT of (id, JSON) per transaction, WAL, synchronous=NORMAL',
        samples: single.map((each) => each.rawOps),
      });
      figures.record({
        name: 'store.insert_ops_per_s',
        unit: 'ops/s',
        description:
          'document store insertOne into a collection without secondary indexes (document row + the change-feed row its trigger appends, one atomic statement)',
        samples: single.map((each) => each.storeOps),
        baseline: 'store.raw_sqlite_insert_ops_per_s',
      });
      figures.record({
        name: 'store.insert_ratio_vs_raw_sqlite',
        unit: 'ratio',
        description: 'how many times slower insertOne is than the raw INSERT (raw ops/s ÷ store ops/s, interleaved blocks)',
        samples: single.map((each) => each.rawOps / each.storeOps),
        baseline: 'store.raw_sqlite_insert_ops_per_s',
        target: { at_most: 1.5 },
      });
      figures.record({
        name: 'store.indexed_insert_ratio_vs_raw_sqlite',
        unit: 'ratio',
        description: 'the same with a two-field expression index on both sides (raw ÷ store)',
        samples: singleIndexed.map((each) => each.rawOps / each.storeOps),
      });
      figures.record({
        name: 'store.raw_sqlite_batch_insert_ops_per_s',
        unit: 'ops/s',
        description: `raw better-sqlite3: ${batchSize} INSERTs per transaction`,
        samples: batches.map((each) => each.rawOps),
      });
      figures.record({
        name: 'store.insert_many_ratio_vs_raw_sqlite',
        unit: 'ratio',
        description: `insertMany of ${batchSize} (one transaction) vs raw ${batchSize} INSERTs per transaction (raw ÷ store)`,
        samples: batches.map((each) => each.rawOps / each.storeOps),
        baseline: 'store.raw_sqlite_batch_insert_ops_per_s',
      });

      for (let have = await indexed.count({}); have < documents; have += 500) {
        await indexed.insertMany(Array.from({ length: Math.min(500, documents - have) }, (_, k) => row(2e7 + have + k)));
      }
      const plain = store.collection('plain');
      for (let start = 0; start < documents; start += 500) {
        await plain.insertMany(Array.from({ length: Math.min(500, documents - start) }, (_, k) => row(start + k)));
      }
      const total = await indexed.count({});

      // Selective: 1 in 1,000 documents match, so a scan cannot stop early.
      const filter = (i: number) => ({ workspaceId: `wsp_${(i * 37) % 10}`, team: `team_${(i * 37) % teams}` });
      const indexedQuery = await repeat({ warmups: 1, repetitions: 5 }, async () =>
        perSecond(await sample(100, (i) => indexed.find(filter(i), { limit: 50 }))),
      );
      const scanQuery = await repeat({ warmups: 1, repetitions: 3 }, async () =>
        perSecond(await sample(5, (i) => plain.find(filter(i), { limit: 50 }))),
      );
      const countAll = await repeat({ warmups: 1, repetitions: 5 }, async () => median(await sample(5, () => indexed.count({}))));
      const countFiltered = await repeat({ warmups: 1, repetitions: 5 }, async () =>
        median(await sample(20, (i) => indexed.count({ workspaceId: `wsp_${i % 10}`, team: `team_${(i * 7) % teams}` }))),
      );
      const arrayQuery = await sample(50, () => indexed.find({ tags: 'red' }, { limit: 50 }));
      let cursor: string | null = null;
      const paging = await sample(200, async () => {
        const page = await indexed.find({}, { limit: 50, ...(cursor ? { cursor } : {}) });
        cursor = page.nextCursor;
      });
      const sorted = await sample(50, (i) => indexed.find({ workspaceId: `wsp_${i % 10}` }, { sort: { score: -1 }, limit: 20 }));
      await store.close();

      figures.record({
        name: 'store.find_unindexed_queries_per_s',
        unit: 'queries/s',
        description: `find with a selective equality filter and no index, ${format(documents, 0)} documents, limit 50`,
        samples: scanQuery,
      });
      figures.record({
        name: 'store.find_indexed_queries_per_s',
        unit: 'queries/s',
        description: 'the same find backed by an expression index',
        samples: indexedQuery,
        baseline: 'store.find_unindexed_queries_per_s',
      });
      figures.record({
        name: 'store.count_all_ms',
        unit: 'ms',
        description: `count({}) over ${format(total, 0)} documents`,
        samples: countAll,
      });
      figures.record({
        name: 'store.count_indexed_filter_ms',
        unit: 'ms',
        description: 'count of an index-backed equality filter (about 50 matches)',
        samples: countFiltered,
      });
      printTable(`Document store (SQLite adapter), ${format(total, 0)} documents in the indexed collection`, [
        ['find, array membership (limit 50)', `${format(perSecond(arrayQuery), 0)} queries/s`],
        ['cursor page of 50 by _id', `median ${format(median(paging), 3)} ms`],
        ['filtered + sorted by score (limit 20)', `median ${format(median(sorted), 2)} ms`],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
