import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteDocumentStore } from '../../functions/src/adapters/sqlite/sqlite-document-store';
import { format, percentile, perSecond, printTable, sample } from './measure';

const documents = Number(process.env.BENCH_DOCUMENTS ?? 50_000);
const teams = 1000;
const row = (i: number) => ({
  _id: `doc_${String(i).padStart(8, '0')}`,
  workspaceId: `wsp_${i % 10}`,
  team: `team_${i % teams}`,
  score: i % 1000,
  title: `Item ${i}`,
  tags: i % 3 === 0 ? ['red', 'blue'] : ['green'],
});

/** The SQLite document store against raw better-sqlite3 and against itself without indexes. */
export async function benchDocumentStore(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-bench-'));
  try {
    // Baseline: raw prepared INSERTs of the same JSON into the same kind of table, one transaction per row.
    const raw = new Database(join(dir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
    const insertRaw = raw.prepare('INSERT INTO t (id, doc) VALUES (?, ?)');
    const rawInsert = await sample(5000, (i) => insertRaw.run(row(i)._id, JSON.stringify(row(i))));
    raw.close();

    const store = createSqliteDocumentStore({ filename: join(dir, 'hangar.db') });
    const indexed = store.collection('indexed');
    const plain = store.collection('plain');
    await indexed.createIndex({ keys: { workspaceId: 1, team: 1 } });
    const storeInsert = await sample(5000, (i) => indexed.insertOne(row(i)));
    for (let i = 5000; i < documents; i++) await indexed.insertOne(row(i));
    for (let i = 0; i < documents; i++) await plain.insertOne(row(i));

    // Selective: 1 in 1,000 documents match, so a scan cannot stop early.
    const filter = (i: number) => ({ workspaceId: `wsp_${(i * 37) % 10}`, team: `team_${(i * 37) % teams}` });
    const indexedQuery = await sample(200, (i) => indexed.find(filter(i), { limit: 50 }));
    const scanQuery = await sample(20, (i) => plain.find(filter(i), { limit: 50 }));
    const arrayQuery = await sample(50, () => indexed.find({ tags: 'red' }, { limit: 50 }));
    let cursor: string | null = null;
    const paging = await sample(200, async () => {
      const page = await indexed.find({}, { limit: 50, ...(cursor ? { cursor } : {}) });
      cursor = page.nextCursor;
    });
    const sorted = await sample(50, (i) => indexed.find({ workspaceId: `wsp_${i % 10}` }, { sort: { score: -1 }, limit: 20 }));
    await store.close();

    printTable(`Document store (SQLite adapter), ${format(documents, 0)} documents per collection`, [
      [
        'insertOne',
        `${format(perSecond(storeInsert), 0)} ops/s (p50 ${format(percentile(storeInsert, 50), 3)} ms, p99 ${format(percentile(storeInsert, 99), 3)} ms)`,
      ],
      ['  baseline: raw better-sqlite3 INSERT', `${format(perSecond(rawInsert), 0)} ops/s`],
      ['  ratio store / raw (throughput)', `${format(perSecond(storeInsert) / perSecond(rawInsert))}×`],
      [
        'find, index-backed equality (limit 50)',
        `${format(perSecond(indexedQuery), 0)} queries/s (p50 ${format(percentile(indexedQuery, 50), 3)} ms)`,
      ],
      [
        '  baseline: same filter, no index',
        `${format(perSecond(scanQuery), 0)} queries/s (p50 ${format(percentile(scanQuery, 50), 3)} ms)`,
      ],
      ['  ratio indexed / unindexed', `${format(perSecond(indexedQuery) / perSecond(scanQuery), 1)}×`],
      ['find, array membership (limit 50)', `${format(perSecond(arrayQuery), 0)} queries/s`],
      ['cursor page of 50 by _id', `p50 ${format(percentile(paging, 50), 3)} ms, p99 ${format(percentile(paging, 99), 3)} ms`],
      ['filtered + sorted by score (limit 20)', `p50 ${format(percentile(sorted, 50), 2)} ms, p99 ${format(percentile(sorted, 99), 2)} ms`],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
