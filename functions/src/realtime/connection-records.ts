import { collections } from '../domain/records';
import type { DocumentStore, StoredDocument } from '../ports/document-store';

/** One open WebSocket connection and who opened it; written at `$connect`, removed at `$disconnect`. */
export interface ConnectionRecord extends StoredDocument {
  userId: string;
  email: string;
  via: 'cookie' | 'bearer';
  connectedAt: string;
}

/** The connection records, in the document store so every process (each Lambda) sees them. */
export const connectionRecords = (store: DocumentStore) => store.collection<ConnectionRecord>(collections.connections);

/** Ids of a person's open connections (at most 1,000; a person has a few tabs). */
export async function connectionIdsOf(store: DocumentStore, userId: string): Promise<string[]> {
  const page = await connectionRecords(store).find({ userId }, { limit: 1000 });
  return page.items.map((record) => record._id);
}
