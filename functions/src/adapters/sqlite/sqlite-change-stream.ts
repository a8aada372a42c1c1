import type { EventEmitter } from 'node:events';
import { ChangePositionExpiredError, type ChangeEvent, type ChangeStream, type StoredDocument } from '../../ports/document-store';

/** One row of the `_changes` table. */
export interface ChangeRow {
  seq: number;
  collection: string;
  operation: 'insert' | 'update' | 'delete';
  document_id: string;
  document: string | null;
  before: string | null;
  time: string;
}

interface Options {
  start: number;
  expired: boolean;
  collections: Set<string> | null;
  read: (after: number, count: number) => ChangeRow[];
  notifier: EventEmitter;
  onClose: () => void;
}

const parse = (json: string | null): StoredDocument | null => (json === null ? null : (JSON.parse(json) as StoredDocument));

function toEvent(row: ChangeRow): ChangeEvent {
  const base = { collection: row.collection, documentId: row.document_id, position: String(row.seq), time: row.time };
  switch (row.operation) {
    case 'insert':
      return { ...base, operation: 'insert', document: parse(row.document) as StoredDocument };
    case 'update':
      return { ...base, operation: 'update', document: parse(row.document) as StoredDocument, before: parse(row.before) };
    case 'delete':
      return { ...base, operation: 'delete', before: parse(row.before) };
  }
}

/** Tails the `_changes` table: reads in batches, then waits for the next commit notice. */
export class SqliteChangeStream implements ChangeStream {
  private last: number;
  private buffer: ChangeEvent[] = [];
  private closed = false;
  private wake: (() => void) | null = null;
  /**
   * Whether a commit was announced since the last read came back short: until one is, the table
   * holds nothing new for this stream and waiting needs no query first.
   */
  private announced = true;
  private readonly listener = () => {
    this.announced = true;
    this.wake?.();
  };

  constructor(private readonly options: Options) {
    this.last = options.start;
    options.notifier.on('change', this.listener);
  }

  private fill() {
    const batch = 500;
    while (this.buffer.length === 0 && this.announced) {
      const rows = this.options.read(this.last, batch);
      // A full batch may have more behind it; a short one read everything committed so far.
      if (rows.length < batch) this.announced = false;
      if (rows.length === 0) return;
      for (const row of rows) {
        this.last = row.seq;
        if (!this.options.collections || this.options.collections.has(row.collection)) this.buffer.push(toEvent(row));
      }
    }
  }

  async next(): Promise<IteratorResult<ChangeEvent>> {
    if (this.options.expired) throw new ChangePositionExpiredError();
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      this.fill();
      const event = this.buffer.shift();
      if (event) return { done: false, value: event };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<ChangeEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
    };
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.options.notifier.off('change', this.listener);
      this.wake?.();
      this.options.onClose();
    }
    return Promise.resolve();
  }
}
